// P4: a finally callback that fails replaces the value (or the reason)
// with its own error.
'use strict';

Promise.resolve(1)
  .finally(() => { throw new Error('finally failed on value'); })
  .then((v) => console.log('A fulfilled: ' + v),
        (e) => console.log('A rejected: error: ' + e.message));
Promise.reject(new Error('first reason'))
  .finally(() => { throw new Error('finally failed on reason'); })
  .then((v) => console.log('B fulfilled: ' + v),
        (e) => console.log('B rejected: error: ' + e.message));
console.log('main: end');
