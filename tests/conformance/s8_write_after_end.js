// S8: a write after end() fails: its callback and the 'error' event get
// "write after end" on a nextTick, and the stream is destroyed ('close').
'use strict';
const { Writable } = require('stream');

const w = new Writable({
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    cb();
  },
});
w.on('error', (e) => console.log('error ' + e.message));
for (const ev of ['finish', 'close'])
  w.on(ev, () => console.log('event ' + ev));
w.write('a');
w.end();
console.log('write b: ' + w.write('b', (e) => console.log('cb ' + e.message)));
console.log('main: end');
