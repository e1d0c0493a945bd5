// L1: one iteration runs timers -> pending -> idle -> prepare -> poll ->
// check -> close. From an I/O callback (poll phase) we queue work for each
// later phase: the immediate runs in this iteration's check phase, the
// close callback in its close phase, the 0 ms timeout in the next
// iteration's timers phase, which then wakes poll again.
'use strict';
const { MessageChannel } = require('worker_threads');

const { port1, port2 } = new MessageChannel();
let round = 0;

port2.on('message', () => {
  round++;
  console.log(`poll: I/O callback ${round}`);
  setImmediate(() => console.log(`check: immediate ${round}`));
  if (round === 1) {
    setTimeout(() => {
      console.log('timers: timeout from round 1');
      port1.postMessage('again');
    }, 0);
  } else {
    port2.close();
  }
});
port2.on('close', () => console.log('close: close callback'));

port1.postMessage('go');
console.log('main: end');
