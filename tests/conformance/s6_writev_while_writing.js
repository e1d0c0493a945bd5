// S6: writes made while an asynchronous write is in flight are buffered
// and go out together through _writev when it completes.
'use strict';
const { Writable } = require('stream');

const w = new Writable({
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    setImmediate(cb);
  },
  writev(chunks, cb) {
    console.log('_writev ' + chunks.map((c) => String(c.chunk)).join(','));
    setImmediate(cb);
  },
});
for (const s of ['a', 'b', 'c', 'd'])
  w.write(s, () => console.log('cb ' + s));
w.end(() => console.log('end cb'));
w.on('drain', () => console.log('drain'));
w.on('finish', () => console.log('finish'));
console.log('main: end');
