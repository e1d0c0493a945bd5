// S9: unpipe() stops the flow into that destination: 'unpipe' on the
// destination, the source pauses, and nothing more is written.
'use strict';
const { Readable, Writable } = require('stream');

const src = new Readable({ read() {} });
const dst = new Writable({
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    cb();
  },
});
for (const ev of ['pause', 'resume'])
  src.on(ev, () => console.log('src ' + ev));
for (const ev of ['pipe', 'unpipe', 'finish'])
  dst.on(ev, () => console.log('dst ' + ev));
src.pipe(dst);
src.push('a');
setImmediate(() => {
  src.unpipe(dst);
  console.log('flowing ' + src.readableFlowing);
  src.push('b');
  setImmediate(() => console.log('length ' + src.readableLength));
});
console.log('main: end');
