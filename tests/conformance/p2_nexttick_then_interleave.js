// P2 with M2/M3: nextTicks run before promise reactions; a nextTick queued
// by a reaction waits until the microtask queue is empty, even for
// reactions queued after it.
'use strict';

Promise.resolve()
  .then(() => {
    console.log('then 1');
    process.nextTick(() => console.log('tick from then 1'));
  })
  .then(() => console.log('then 2'))
  .then(() => console.log('then 3'));
process.nextTick(() => {
  console.log('tick 1');
  Promise.resolve().then(() => console.log('then from tick 1'));
});
console.log('main: end');
