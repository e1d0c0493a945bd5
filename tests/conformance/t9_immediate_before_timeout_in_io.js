// T9: inside an I/O (poll phase) callback, an immediate always runs before a
// 0 ms timeout, even when the timeout was started first: the check phase
// comes before the loop gets back to the timers phase. Three rounds.
'use strict';
const { MessageChannel } = require('worker_threads');

const { port1, port2 } = new MessageChannel();
let round = 0;

port2.on('message', () => {
  const r = ++round;
  console.log(`I/O callback ${r}`);
  setTimeout(() => {
    console.log(`  timeout ${r}`);
    if (r < 3)
      port1.postMessage('again');
    else
      port2.close();
  }, 0);
  setImmediate(() => console.log(`  immediate ${r}`));
});

port1.postMessage('go');
