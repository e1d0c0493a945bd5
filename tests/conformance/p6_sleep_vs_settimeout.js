// P6: sleep(ms) (evt_sleep in C) is a timeout underneath: it fires in
// timer order among setTimeout callbacks of the same delay, and its
// continuations run as microtasks right after its own timer callback,
// before the next timer.
'use strict';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

setTimeout(() => console.log('timeout A'), 10);
sleep(10).then(() => console.log('sleep 1: then'));
(async () => {
  console.log('async: sleeping');
  await sleep(10);
  console.log('async: woke up');
})();
setTimeout(() => console.log('timeout B'), 10);
console.log('main: end');
