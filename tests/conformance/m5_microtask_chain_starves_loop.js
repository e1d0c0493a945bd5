// M5: a chain of microtasks starves the loop just like a nextTick chain:
// timer B and the immediate run only after all 1000 microtasks.
'use strict';

function busyWait(ms) {
  const end = process.hrtime.bigint() + BigInt(ms) * 1000000n;
  while (process.hrtime.bigint() < end);
}

const N = 1000;
let jobs = 0;

function job() {
  jobs++;
  if (jobs < N)
    queueMicrotask(job);
  else
    console.log(`chain finished after ${jobs} microtasks`);
}

setTimeout(() => {
  console.log('timer A: queue an immediate, start the chain');
  setImmediate(() => console.log(`immediate ran after microtask ${jobs}`));
  queueMicrotask(job);
}, 1);
setTimeout(() => console.log(`timer B ran after microtask ${jobs}`), 1);
busyWait(20); // A and B are both due when the loop starts
