// P8: a rejection that gets a handler before the checkpoint ends (even a
// few microtask turns later, or through a chain ending in catch) is never
// reported; only the one left without a handler is.
'use strict';

process.on('unhandledRejection', (reason) => {
  console.log('unhandledRejection: error: ' + reason.message);
});
process.on('rejectionHandled', () => {
  console.log('rejectionHandled');
});

const early = Promise.reject(new Error('early'));
Promise.resolve()
  .then(() => {})
  .then(() => {
    console.log('tick 2: attaching catch to early');
    early.catch((e) => console.log('caught: error: ' + e.message));
  });
Promise.reject(new Error('chained'))
  .then(() => console.log('never'))
  .catch((e) => console.log('caught: error: ' + e.message));
Promise.reject(new Error('orphan'));
console.log('main: end');
