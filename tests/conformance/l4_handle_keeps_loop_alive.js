// L4: an active, referenced handle keeps the loop alive even with no timer
// or immediate queued. Here the only thing left is a message port (our
// evt_wakeup_t twin); another thread wakes it after 50 ms, the callback
// closes it, and then the loop has nothing left and ends.
'use strict';
const { Worker, MessageChannel } = require('worker_threads');

const { port1, port2 } = new MessageChannel();
port2.on('message', () => {
  console.log('poll: woken by the other thread; closing the handle');
  port2.close();
});
port2.on('close', () => console.log('close: handle closed'));

const worker = new Worker(
  `const { workerData } = require('worker_threads');
   setTimeout(() => workerData.postMessage('wake'), 50);`,
  { eval: true, workerData: port1, transferList: [port1] });
worker.unref(); // only the port may keep this loop alive

process.on('exit', () => console.log('loop finished'));
console.log('main: only an open handle keeps the loop alive');
