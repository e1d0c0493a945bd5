// T4: a timer started inside the timers phase is due no earlier than 1 ms
// after the cached time, so it never fires in the same phase, even if the
// callback that started it runs for 10 ms. It fires after the check phase.
'use strict';

function busyWait(ms) {
  const end = process.hrtime.bigint() + BigInt(ms) * 1000000n;
  while (process.hrtime.bigint() < end);
}

setTimeout(() => {
  console.log('timer A: start a 0 ms timer, busy for 10 ms');
  setTimeout(() => console.log('timer B (started by A)'), 0);
  busyWait(10);
  setImmediate(() => console.log('immediate queued by A'));
}, 1);
