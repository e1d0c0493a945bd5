// P4: finally passes a rejection reason through unchanged; the catch after
// it sees the original error.
'use strict';

Promise.reject(new Error('original'))
  .finally(() => console.log('finally 1'))
  .finally(() => console.log('finally 2'))
  .then(() => console.log('then: never'))
  .catch((e) => console.log('catch: error: ' + e.message));
console.log('main: end');
