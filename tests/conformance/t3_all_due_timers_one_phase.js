// T3: every timer that is due at the cached loop time fires in one timers
// phase, each followed by a checkpoint; the immediates they queue wait for
// the check phase, after all of them.
'use strict';

function busyWait(ms) {
  const end = process.hrtime.bigint() + BigInt(ms) * 1000000n;
  while (process.hrtime.bigint() < end);
}

for (const name of ['A', 'B', 'C']) {
  setTimeout(() => {
    console.log(`timer ${name}`);
    process.nextTick(() => console.log(`  nextTick ${name}`));
    setImmediate(() => console.log(`immediate from ${name}`));
  }, 1);
}
busyWait(20); // all three are due when the loop starts
