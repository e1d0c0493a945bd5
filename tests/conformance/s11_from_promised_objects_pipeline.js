// S11 through S10: Readable.from over an array of promises awaits each
// one and pipeline() carries the objects, in order, into an object-mode
// Writable that keeps each one until a later turn (the C twin's objects
// are owned by the promises: the stream becomes a second owner, so each
// object lives until the Writable is done with it, and is freed once).
'use strict';
const { Readable, Writable, pipeline } = require('stream');

const items = [1, 2, 3].map((n) => Promise.resolve({ n }));
const src = Readable.from(items);
const dst = new Writable({
  objectMode: true,
  write(obj, enc, cb) {
    console.log('_write ' + obj.n);
    setImmediate(() => {
      console.log('done ' + obj.n);
      cb();
    });
  },
});
src.on('end', () => console.log('src end'));
dst.on('finish', () => console.log('dst finish'));
pipeline(src, dst, (err) => console.log('pipeline done: ' + err));
console.log('main: end');
