// P3: a promise resolved with a pending promise stays pending and follows
// it: when the inner one rejects, the outer rejects with the same reason,
// and later resolve/reject calls on the outer are ignored.
'use strict';

let rejectInner;
const inner = new Promise((res, rej) => { rejectInner = rej; });
let resolveOuter, rejectOuter;
const outer = new Promise((res, rej) => { resolveOuter = res; rejectOuter = rej; });
resolveOuter(inner);
resolveOuter('ignored');
rejectOuter(new Error('ignored'));
outer.then((v) => console.log('outer fulfilled: ' + v),
           (e) => console.log('outer rejected: error: ' + e.message));
inner.catch((e) => console.log('inner rejected: error: ' + e.message));
setTimeout(() => {
  console.log('timeout: rejecting inner');
  rejectInner(new Error('inner failed'));
  Promise.resolve()
    .then(() => console.log('tick 1'))
    .then(() => console.log('tick 2'))
    .then(() => console.log('tick 3'));
}, 1);
