// L8: run(NOWAIT) performs one iteration without blocking in poll, so it
// returns long before a pending 500 ms timer. In Node an iteration with an
// immediate queued is such a non-blocking iteration; the immediate prints
// what the C program prints when evt_run(loop, EVT_RUN_NOWAIT) returns.
'use strict';

const t0 = process.hrtime.bigint();
setTimeout(() => console.log('timer fired'), 500);
setImmediate(() => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log('run(NOWAIT) returned before the timer: ' +
              (ms < 400 ? 'yes' : 'no'));
});
