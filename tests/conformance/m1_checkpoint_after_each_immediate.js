// M1: a checkpoint runs after EACH immediate of the check phase.
'use strict';

function immediate(name) {
  console.log(`immediate ${name}`);
  queueMicrotask(() => console.log(`  microtask ${name}`));
  process.nextTick(() => console.log(`  nextTick ${name}`));
}

setImmediate(() => immediate('A'));
setImmediate(() => immediate('B'));
