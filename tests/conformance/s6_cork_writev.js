// S6: cork() buffers writes; uncork() hands them to _writev in one call;
// the write callbacks run on a nextTick, in order.
'use strict';
const { Writable } = require('stream');

const w = new Writable({
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    cb();
  },
  writev(chunks, cb) {
    console.log('_writev ' + chunks.map((c) => String(c.chunk)).join(','));
    cb();
  },
});
w.cork();
for (const s of ['a', 'b', 'c'])
  w.write(s, () => console.log('cb ' + s));
console.log('corked ' + w.writableCorked + ', length ' + w.writableLength);
w.uncork();
w.write('d', () => console.log('cb d'));
w.end();
w.on('finish', () => console.log('finish'));
w.on('close', () => console.log('close'));
console.log('main: end');
