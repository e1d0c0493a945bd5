// L6: close() never calls the close callback synchronously; it runs in the
// close phase of the same iteration: after this callback's nextTick and
// after the check phase's immediates, before the next timers phase.
'use strict';
const { MessageChannel } = require('worker_threads');

const { port1 } = new MessageChannel();
port1.on('close', () => console.log('close: close callback'));

setTimeout(() => {
  console.log('timers: close()');
  port1.close();
  console.log('timers: close() returned');
  process.nextTick(() => console.log('nextTick'));
  setImmediate(() => console.log('check: immediate'));
  setTimeout(() => console.log('timers: next iteration'), 0);
}, 1);
