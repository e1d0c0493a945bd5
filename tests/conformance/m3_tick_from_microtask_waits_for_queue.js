// M3: a nextTick queued by a microtask runs only after the whole microtask
// queue has drained, including microtasks queued meanwhile.
'use strict';

queueMicrotask(() => {
  console.log('microtask 1');
  process.nextTick(() => {
    console.log('nextTick (queued by microtask 1)');
    queueMicrotask(() => console.log('microtask 4 (queued by the nextTick)'));
  });
  queueMicrotask(() => console.log('microtask 3 (queued by microtask 1)'));
});
queueMicrotask(() => console.log('microtask 2'));
