// U1: a UDP send's callback comes after the sender's code and the
// nextTicks it queued, and before the loop's I/O: before the datagram's
// 'message' and before an immediate queued with it. 'message' runs in the
// poll phase: its nextTick and microtask right after it, then the check
// phase's immediates (the earlier one first), then, in the next
// iteration, a 0 ms timeout queued from it.
'use strict';
const dgram = require('dgram');

const a = dgram.createSocket('udp4');
const b = dgram.createSocket('udp4');

b.on('message', (msg, rinfo) => {
  console.log(`message: ${msg} (${msg.length} bytes) from ${rinfo.address}`);
  setTimeout(() => {
    console.log('  timeout from message');
    a.close();
    b.close();
  }, 0);
  setImmediate(() => console.log('  immediate from message'));
  process.nextTick(() => console.log('  nextTick from message'));
  queueMicrotask(() => console.log('  microtask from message'));
});

b.bind(0, '127.0.0.1', () => {
  a.bind(0, '127.0.0.1', () => {
    console.log('bound');
    setImmediate(() => console.log('immediate 1'));
    a.send('hi', b.address().port, '127.0.0.1', (err) => {
      console.log(`send callback: err ${err}`);
    });
    process.nextTick(() => console.log('nextTick 1'));
    console.log('send returned');
  });
});
