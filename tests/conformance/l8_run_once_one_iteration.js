// L8: run(ONCE) runs exactly one iteration and reports whether work is left.
// Node has no run-once call, so this twin marks the end of each iteration
// with an immediate queued behind the iteration's own work: it prints what
// the C program prints when evt_run(loop, EVT_RUN_ONCE) returns.
'use strict';

let pending = 0; // work still queued: what evt_run's return value reports

function schedule(n) {
  pending++;
  setImmediate(() => {
    pending--;
    step(n);
  });
}

function step(n) {
  console.log(`immediate ${n}`);
  if (n < 3)
    schedule(n + 1); // queued in the check phase: runs next iteration (I2)
}

function endOfIteration() {
  console.log('run(ONCE) returned: ' + (pending > 0 ? 'more work' : 'done'));
  if (pending > 0)
    setImmediate(endOfIteration);
}

schedule(1);
setImmediate(endOfIteration);
