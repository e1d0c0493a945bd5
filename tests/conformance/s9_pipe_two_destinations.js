// S9 with two destinations: the source pauses while either one's write()
// returns false and resumes only after both drained.
'use strict';
const { Readable, Writable } = require('stream');

let n = 0;
const src = new Readable({
  read() {
    n++;
    this.push(n <= 4 ? 'c' + n : null);
  },
});
function sink(name, hwm) {
  return new Writable({
    highWaterMark: hwm,
    write(chunk, enc, cb) {
      console.log(name + ' _write ' + chunk);
      setImmediate(cb);
    },
  }).on('drain', () => console.log(name + ' drain'))
    .on('finish', () => console.log(name + ' finish'));
}
const a = sink('a', 1);
const b = sink('b', 100);
src.on('pause', () => console.log('src pause'));
src.on('resume', () => console.log('src resume'));
src.pipe(a);
src.pipe(b);
console.log('main: end');
