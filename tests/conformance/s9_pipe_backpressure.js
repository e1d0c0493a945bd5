// S9: pipe() pauses the source while the destination's write() returns
// false and resumes it on 'drain'; every chunk arrives in order.
'use strict';
const { Readable, Writable } = require('stream');

let n = 0;
const src = new Readable({
  highWaterMark: 2,
  read() {
    n++;
    this.push(n <= 6 ? 'c' + n : null);
  },
});
const dst = new Writable({
  highWaterMark: 3,
  write(chunk, enc, cb) {
    console.log('_write ' + chunk + ', length ' + this.writableLength);
    setImmediate(cb);
  },
});
for (const ev of ['pause', 'resume', 'end', 'close'])
  src.on(ev, () => console.log('src ' + ev));
for (const ev of ['drain', 'unpipe', 'finish', 'close'])
  dst.on(ev, () => console.log('dst ' + ev));
src.pipe(dst);
console.log('main: end');
