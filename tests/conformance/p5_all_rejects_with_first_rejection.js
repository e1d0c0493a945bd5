// P5: Promise.all rejects with the first rejection as soon as it happens;
// later rejections and fulfilments of the other inputs change nothing.
'use strict';

const settle = [];
const inputs = [0, 1, 2].map(() => new Promise((res, rej) => {
  settle.push({ res, rej });
}));
Promise.all(inputs).then(
  (values) => console.log('all fulfilled: ' + values.join(', ')),
  (e) => console.log('all rejected: error: ' + e.message));
setTimeout(() => { console.log('fulfil first'); settle[0].res(1); }, 1);
setTimeout(() => {
  console.log('reject third');
  settle[2].rej(new Error('third failed'));
}, 2);
setTimeout(() => {
  console.log('reject second');
  settle[1].rej(new Error('second failed'));
}, 3);
