// P8: several unhandled rejections are reported in the order they
// happened; a then without a rejection handler does not handle a
// rejection: its derived promise rejects too and is reported in its turn.
'use strict';

process.on('unhandledRejection', (reason) => {
  console.log('unhandledRejection: error: ' + reason.message);
});

Promise.reject(new Error('first'));
let rejectLater;
new Promise((res, rej) => { rejectLater = rej; });
Promise.reject(new Error('third')).then(() => console.log('never'));
setTimeout(() => {
  console.log('timeout');
  rejectLater(new Error('later'));
}, 1);
console.log('main: end');
