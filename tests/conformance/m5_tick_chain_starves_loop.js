// M5: a chain of nextTicks keeps the checkpoint running; no phase advances
// until it ends. Timer B (due in the same timers phase as A) and the
// immediate both run only after all 1000 ticks.
'use strict';

function busyWait(ms) {
  const end = process.hrtime.bigint() + BigInt(ms) * 1000000n;
  while (process.hrtime.bigint() < end);
}

const N = 1000;
let ticks = 0;

function tick() {
  ticks++;
  if (ticks < N)
    process.nextTick(tick);
  else
    console.log(`chain finished after ${ticks} ticks`);
}

setTimeout(() => {
  console.log('timer A: queue an immediate, start the chain');
  setImmediate(() => console.log(`immediate ran after tick ${ticks}`));
  process.nextTick(tick);
}, 1);
setTimeout(() => console.log(`timer B ran after tick ${ticks}`), 1);
busyWait(20); // A and B are both due when the loop starts
