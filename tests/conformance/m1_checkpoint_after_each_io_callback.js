// M1: a checkpoint runs after EACH I/O callback, even when two are delivered
// in the same poll phase. (Message ports here; evt_wakeup_t in C.)
'use strict';
const { MessageChannel } = require('worker_threads');

const a = new MessageChannel();
const b = new MessageChannel();

function io(name) {
  console.log(`I/O callback ${name}`);
  queueMicrotask(() => console.log(`  microtask ${name}`));
  process.nextTick(() => console.log(`  nextTick ${name}`));
}

a.port2.on('message', () => io('A'));
b.port2.on('message', () => {
  io('B');
  a.port2.close();
  b.port2.close();
});

a.port1.postMessage('x');
b.port1.postMessage('x');
