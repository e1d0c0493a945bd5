// L6: a handle closed during the close phase gets its close callback in the
// NEXT iteration's close phase, so an immediate queued at the same time
// runs first.
'use strict';
const { MessageChannel } = require('worker_threads');

const a = new MessageChannel().port1;
const b = new MessageChannel().port1;

a.on('close', () => {
  console.log('close A: closing B, queueing an immediate');
  b.close();
  setImmediate(() => console.log('check: immediate (next iteration)'));
});
b.on('close', () => console.log('close B (next iteration)'));

setTimeout(() => {
  console.log('timers: close A');
  a.close();
}, 1);
