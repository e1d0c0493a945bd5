// finished() on a stream that already ended and closed, or already
// errored, still calls back, on a nextTick.
'use strict';
const { Readable, Writable, finished } = require('stream');

const r = new Readable({ read() {} });
r.resume();
r.push(null);
const w = new Writable({ write(c, e, cb) { cb(new Error('disk full')); } });
w.on('error', (e) => console.log('w error ' + e.message));
w.write('x');
setImmediate(() => {
  console.log('r closed ' + r.closed + ', w closed ' + w.closed);
  finished(r, (err) => console.log('r finished: ' + (err && err.message)));
  finished(w, (err) => console.log('w finished: ' + (err && err.message)));
  console.log('registered');
});
console.log('main: end');
