// L2: timers compare against the loop time cached at the start of the
// iteration. X starts B (50 ms); A, due in the same timers phase, then
// busy-waits 100 ms, so B is due in real time before the phase ends. The
// phase still uses the cached time, so B waits for a later iteration and
// the immediate queued by A runs first. (A's own setTimeout after the wait
// reads the clock, but the running phase keeps comparing with its start.)
'use strict';

function busyWait(ms) {
  const end = process.hrtime.bigint() + BigInt(ms) * 1000000n;
  while (process.hrtime.bigint() < end);
}

setTimeout(() => {
  console.log('X: start B (50 ms)');
  setTimeout(() => console.log('B'), 50);
}, 1);
setTimeout(() => {
  console.log('A: busy for 100 ms (B becomes due meanwhile)');
  busyWait(100);
  setImmediate(() => console.log('immediate queued by A'));
  setTimeout(() => console.log('D (started by A after the wait)'), 1);
}, 1);
busyWait(20); // X and A are both due when the loop starts
