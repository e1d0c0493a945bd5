// P1: a rejection passes through fulfilment-only thens (one turn each)
// until a catch; the catch's return value fulfils the next promise.
'use strict';

Promise.reject(new Error('boom'))
  .then(() => console.log('skipped 1'))
  .then(() => console.log('skipped 2'))
  .catch((e) => { console.log('catch: error: ' + e.message); return 7; })
  .then((v) => console.log('after catch: ' + v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
