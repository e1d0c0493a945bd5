// L7 (observable part): an I/O completion is never delivered inside the call
// that caused it; it runs later in the loop, after the timers phase that
// triggered it and before the check phase. (The JS twin uses a message port,
// the C program an evt_wakeup_t; both deliver in the poll phase.)
'use strict';
const { MessageChannel } = require('worker_threads');

const { port1, port2 } = new MessageChannel();
port2.on('message', () => {
  console.log('I/O callback');
  port2.close();
});

setTimeout(() => {
  console.log('timers: send');
  setImmediate(() => console.log('check: immediate'));
  port1.postMessage('x');
  console.log('timers: send returned');
}, 1);
