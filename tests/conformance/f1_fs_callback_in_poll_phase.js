// F1: an fs callback runs in the poll phase: its nextTick and microtasks run
// right after it, an immediate it queues runs before a 0 ms timeout it
// queued first (check comes before the next timers phase), and an error
// arrives as the callback's first argument with Node's message.
'use strict';
const fs = require('fs');

fs.stat('/', (err, st) => {
  console.log(`stat callback: err ${err}, directory ${st.isDirectory()}`);
  setTimeout(() => {
    console.log('  timeout 1');
    fs.readFile('/nonexistent-eventide-f1/file', (err2) => {
      console.log(`readFile callback: ${err2.code} ${err2.message}`);
      setTimeout(() => console.log('  timeout 2'), 0);
      setImmediate(() => console.log('  immediate 2'));
    });
  }, 0);
  setImmediate(() => console.log('  immediate 1'));
  process.nextTick(() => console.log('  nextTick 1'));
  queueMicrotask(() => console.log('  microtask 1'));
});
