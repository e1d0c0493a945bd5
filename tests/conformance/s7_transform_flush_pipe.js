// S7: a Transform sees each chunk once, its flush runs once after the
// last one and before its readable side ends; piped from a Readable into
// a Writable, every event comes in Node's order.
'use strict';
const { Readable, Transform, Writable } = require('stream');

const src = new Readable({ read() {} });
const t = new Transform({
  transform(chunk, enc, cb) {
    console.log('transform ' + chunk);
    this.push(chunk.toString().toUpperCase());
    cb();
  },
  flush(cb) {
    console.log('flush');
    this.push('!');
    cb();
  },
});
const dst = new Writable({
  write(chunk, enc, cb) {
    console.log('write ' + chunk);
    cb();
  },
});
for (const ev of ['end', 'close'])
  src.on(ev, () => console.log('src ' + ev));
for (const ev of ['prefinish', 'finish', 'end', 'close'])
  t.on(ev, () => console.log('t ' + ev));
for (const ev of ['pipe', 'prefinish', 'finish', 'close'])
  dst.on(ev, () => console.log('dst ' + ev));
src.pipe(t).pipe(dst);
src.push('a');
src.push('b');
setImmediate(() => {
  src.push('c');
  src.push(null);
});
console.log('main: end');
