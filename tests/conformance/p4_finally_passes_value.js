// P4: finally runs its callback without the value and passes the
// fulfilment value through unchanged.
'use strict';

Promise.resolve(7)
  .finally(() => console.log('finally 1'))
  .finally(() => console.log('finally 2'))
  .then((v) => console.log('value: ' + v));
console.log('main: end');
