// M1: a checkpoint runs after EACH timer callback, even when the next timer
// is due in the same timers phase.
'use strict';

function timer(name) {
  console.log(`timer ${name}`);
  queueMicrotask(() => console.log(`  microtask ${name}`));
  process.nextTick(() => console.log(`  nextTick ${name}`));
}

setTimeout(() => timer('A'), 1);
setTimeout(() => timer('B'), 1);
