// S10: on the first error pipeline() destroys every stream and calls
// back once, with that error.
'use strict';
const { Readable, Transform, Writable, pipeline } = require('stream');

const src = new Readable({ read() {} });
const mid = new Transform({
  transform(chunk, enc, cb) {
    console.log('transform ' + chunk);
    if (String(chunk) === 'b') cb(new Error('bad chunk'));
    else cb(null, chunk);
  },
});
const dst = new Writable({
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    cb();
  },
});
for (const [name, s] of [['src', src], ['mid', mid], ['dst', dst]]) {
  for (const ev of ['end', 'finish', 'close'])
    s.on(ev, () => console.log(name + ' ' + ev));
  s.on('error', (e) => console.log(name + ' error ' + e.message));
}
pipeline(src, mid, dst, (err) => {
  console.log('pipeline done: ' + (err && err.message));
  console.log('destroyed: ' + src.destroyed + ' ' + mid.destroyed + ' ' +
              dst.destroyed);
});
src.push('a');
src.push('b');
src.push('c');
console.log('main: end');
