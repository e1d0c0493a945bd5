// P8: a rejection still unhandled when the checkpoint has drained is
// reported ('unhandledRejection'), after the microtasks; a handler attached
// later runs, and the promise is reported as 'rejectionHandled'.
'use strict';

process.on('unhandledRejection', (reason) => {
  console.log('unhandledRejection: error: ' + reason.message);
});
process.on('rejectionHandled', () => {
  console.log('rejectionHandled');
});

const lost = Promise.reject(new Error('lost'));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'));
console.log('main: end');
setTimeout(() => {
  console.log('timeout: attaching catch');
  lost.catch((e) => console.log('catch: error: ' + e.message));
}, 1);
