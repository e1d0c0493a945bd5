// L3: a handle that is closing makes poll non-blocking, so its close callback
// runs in this iteration instead of after the 5 s timer that is also pending.
'use strict';
const { MessageChannel } = require('worker_threads');

const t0 = process.hrtime.bigint();
const { port1 } = new MessageChannel();
const long = setTimeout(() => console.log('long timer fired (wrong)'), 5000);

port1.on('close', () => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log('close callback ran without waiting for the 5 s timer: ' +
              (ms < 2000 ? 'yes' : 'no'));
  clearTimeout(long);
});

setTimeout(() => {
  console.log('timer: closing the handle');
  port1.close();
}, 1);
