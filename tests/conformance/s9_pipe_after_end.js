// S9: piping a source whose 'end' was already emitted ends the
// destination on a nextTick (or, with end: false, just unpipes it).
'use strict';
const { Readable, Writable } = require('stream');

const src = new Readable({ read() {}, autoDestroy: false });
src.on('end', () => console.log('src end'));
src.resume();
src.push(null);
function sink(name) {
  const w = new Writable({ write(c, e, cb) { cb(); } });
  for (const ev of ['pipe', 'unpipe', 'finish', 'close'])
    w.on(ev, () => console.log(name + ' ' + ev));
  return w;
}
setImmediate(() => {
  src.pipe(sink('a'));
  src.pipe(sink('b'), { end: false });
  console.log('piped');
});
console.log('main: end');
