// S5 in object mode: Node 20 schedules an after-write tick for every
// synchronous object-mode write (its test `state & kDestroyed !== 0`
// reads the object-mode bit), so 'finish' comes a tick later than in
// byte mode. Both streams are written and ended the same way.
'use strict';
const { Writable } = require('stream');

for (const objectMode of [false, true]) {
  const name = objectMode ? 'object' : 'bytes';
  const w = new Writable({ objectMode, write(c, e, cb) { cb(); } });
  w.on('finish', () => console.log(name + ' finish'));
  w.write(objectMode ? 1 : 'x');
  w.end();
}
process.nextTick(() => console.log('tick 1'));
process.nextTick(() => process.nextTick(() => console.log('tick 2')));
console.log('main: end');
