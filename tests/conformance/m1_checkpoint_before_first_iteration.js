// M1: the main program's nextTicks and microtasks run as soon as it hands
// control to the loop, before the first phase (here: before the immediate).
'use strict';

setImmediate(() => console.log('check: immediate'));
queueMicrotask(() => console.log('microtask'));
process.nextTick(() => console.log('nextTick'));
console.log('main: end');
