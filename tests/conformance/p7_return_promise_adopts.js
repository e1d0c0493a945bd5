// P7 with P3: an async function that returns a promise resolves its own
// promise with it, an adoption that costs two extra turns.
'use strict';

async function plain() { return 'plain'; }
async function viaPromise() { return Promise.resolve('via promise'); }
viaPromise().then((v) => console.log('result: ' + v));
plain().then((v) => console.log('result: ' + v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
