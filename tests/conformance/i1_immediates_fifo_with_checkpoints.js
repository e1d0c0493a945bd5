// I1: immediates run in the check phase in FIFO order, each followed by a
// checkpoint.
'use strict';

for (const name of ['A', 'B', 'C']) {
  setImmediate(() => {
    console.log(`immediate ${name}`);
    queueMicrotask(() => console.log(`  microtask ${name}`));
    process.nextTick(() => console.log(`  nextTick ${name}`));
  });
}
