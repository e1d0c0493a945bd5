// P5: Promise.allSettled always fulfils, with one status per input in
// input order.
'use strict';

const inputs = [
  Promise.resolve(1),
  Promise.reject(new Error('two failed')),
  new Promise((r) => setTimeout(() => r(3), 1)),
  new Promise((res, rej) => setTimeout(() => rej(new Error('four failed')), 1)),
];
Promise.allSettled(inputs).then((results) => {
  for (const r of results) {
    if (r.status === 'fulfilled') console.log('fulfilled: ' + r.value);
    else console.log('rejected: error: ' + r.reason.message);
  }
});
console.log('main: end');
