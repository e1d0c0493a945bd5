// M4: queueMicrotask and promise reactions share one FIFO queue: jobs run in
// the order they were queued, whichever way they were queued. Jobs A, C and
// F are promise reactions, B, D and E queueMicrotask. (The C twin queues all
// of them with evt_queue_microtask, the queue promise reactions use.)
'use strict';

Promise.resolve().then(() => {
  console.log('job A');
  queueMicrotask(() => console.log('job E (queued by A)'));
});
queueMicrotask(() => {
  console.log('job B');
  Promise.resolve().then(() => console.log('job F (queued by B)'));
});
Promise.resolve().then(() => console.log('job C'));
queueMicrotask(() => console.log('job D'));
