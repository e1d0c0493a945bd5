// M1: a checkpoint runs after EACH close callback. (Close callbacks of one
// close phase run in reverse order of the close() calls, as in libuv.)
'use strict';
const { MessageChannel } = require('worker_threads');

function port(name) {
  const p = new MessageChannel().port1;
  p.on('close', () => {
    console.log(`close ${name}`);
    queueMicrotask(() => console.log(`  microtask ${name}`));
    process.nextTick(() => console.log(`  nextTick ${name}`));
  });
  return p;
}

const ports = [port('A'), port('B'), port('C')];
setTimeout(() => {
  console.log('timers: close A, B, C');
  for (const p of ports)
    p.close();
}, 1);
