// S10: pipeline() calls back with no error after the last stream
// finished, once every stream has closed.
'use strict';
const { Readable, PassThrough, Writable, pipeline } = require('stream');

const src = new Readable({ read() {} });
const mid = new PassThrough();
const dst = new Writable({
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    cb();
  },
});
for (const [name, s] of [['src', src], ['mid', mid], ['dst', dst]])
  for (const ev of ['end', 'finish', 'close'])
    s.on(ev, () => console.log(name + ' ' + ev));
pipeline(src, mid, dst, (err) => console.log('pipeline done: ' + err));
src.push('a');
src.push('b');
src.push(null);
console.log('main: end');
