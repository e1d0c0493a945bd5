// I2: an immediate queued while the check phase runs waits for the next
// iteration: it runs after B (already queued) and after this iteration's
// close phase.
'use strict';
const { MessageChannel } = require('worker_threads');

const { port1 } = new MessageChannel();
port1.on('close', () => console.log('close phase'));

setImmediate(() => {
  console.log('immediate A: queue A2, close a handle');
  setImmediate(() => console.log('immediate A2 (next iteration)'));
  port1.close();
});
setImmediate(() => console.log('immediate B'));
