// M2: nextTicks queued by nextTicks run in the same drain, still before any
// microtask.
'use strict';

queueMicrotask(() => console.log('microtask'));
process.nextTick(() => {
  console.log('nextTick 1');
  process.nextTick(() => {
    console.log('nextTick 3 (queued by 1)');
    process.nextTick(() => console.log('nextTick 4 (queued by 3)'));
  });
});
process.nextTick(() => console.log('nextTick 2'));
