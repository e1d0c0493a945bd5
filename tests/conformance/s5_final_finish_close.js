// S5: end() -> _final -> 'prefinish' -> 'finish' -> 'close'; end(cb)'s
// callback runs just before 'finish'; an asynchronous _final delays all.
'use strict';
const { Writable } = require('stream');

const w = new Writable({
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    cb();
  },
  final(cb) {
    console.log('_final');
    setImmediate(() => {
      console.log('final done');
      cb();
    });
  },
});
for (const ev of ['prefinish', 'finish', 'close'])
  w.on(ev, () => console.log('event ' + ev));
w.write('a');
w.end(() => console.log('end cb'));
console.log('ended ' + w.writableEnded + ', finished ' + w.writableFinished);
console.log('main: end');
