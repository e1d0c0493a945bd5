// S4: while an asynchronous _write is in flight, later writes wait in the
// buffer; each completes in order, its callback runs inside the
// completion, and 'drain' comes once the buffer is empty.
'use strict';
const { Writable } = require('stream');

const w = new Writable({
  highWaterMark: 4,
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    setImmediate(() => {
      console.log('done ' + chunk);
      cb();
    });
  },
});
w.on('drain', () => console.log('drain'));
for (const s of ['ab', 'cd', 'ef'])
  console.log('write ' + s + ': ' + w.write(s, () => console.log('cb ' + s)));
console.log('length ' + w.writableLength);
console.log('main: end');
