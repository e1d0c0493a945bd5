// M2: inside a checkpoint every queued nextTick runs before any microtask,
// whatever order they were queued in.
'use strict';

queueMicrotask(() => console.log('microtask 1'));
process.nextTick(() => console.log('nextTick 1'));
queueMicrotask(() => console.log('microtask 2'));
process.nextTick(() => console.log('nextTick 2'));
console.log('main: end');
