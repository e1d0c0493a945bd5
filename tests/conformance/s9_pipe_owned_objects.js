// S9 in object mode with two destinations, one slow: every destination
// gets every object, in order, and a slow one still has each object
// when its write runs (the C twin pipes objects it owns: each is freed
// once, after the last destination let it go).
'use strict';
const { Readable, Writable } = require('stream');

const src = Readable.from([{ n: 1 }, { n: 2 }, { n: 3 }]);
function sink(name, slow) {
  return new Writable({
    objectMode: true,
    highWaterMark: 1,
    write(obj, enc, cb) {
      console.log(name + ' _write ' + obj.n);
      if (slow) setImmediate(cb);
      else cb();
    },
  }).on('finish', () => console.log(name + ' finish'))
    .on('close', () => console.log(name + ' close'));
}
src.on('end', () => console.log('src end'));
src.on('close', () => console.log('src close'));
src.pipe(sink('fast', false));
src.pipe(sink('slow', true));
console.log('main: end');
