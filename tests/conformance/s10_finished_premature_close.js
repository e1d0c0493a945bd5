// S10's building block, stream.finished: the callback comes after
// 'end' (readable) or 'finish' (writable), or with "Premature close" when
// the stream is destroyed first.
'use strict';
const { Readable, Writable, finished } = require('stream');

const r = new Readable({ read() {} });
finished(r, (err) => console.log('r finished: ' + (err ? err.message : err)));
r.on('data', (c) => console.log('r data ' + c));
r.push('a');
r.push(null);

const w = new Writable({ write(c, e, cb) { cb(); } });
finished(w, (err) => console.log('w finished: ' + (err ? err.message : err)));
w.write('x');
setImmediate(() => w.destroy());
console.log('main: end');
