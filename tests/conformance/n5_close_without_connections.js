'use strict';
// N5 / net — server.close() with no connection: 'close' on the next tick
// (the close callback first, as a once-listener added by close); on a
// server that is not listening the callback gets ERR_SERVER_NOT_RUNNING
// and 'close' is still emitted.
const net = require('net');

const a = net.createServer();
a.on('close', () => console.log('a close event'));
a.listen(0, '127.0.0.1', () => {
  a.close((err) => console.log('a close callback', err === undefined ? 'no error' : err.code));
  console.log('a close returned', a.listening);
  process.nextTick(() => console.log('nextTick after a close'));
  Promise.resolve().then(() => console.log('microtask'));
  setImmediate(() => {
    console.log('immediate');
    const b = net.createServer();
    b.on('close', () => console.log('b close event'));
    b.close((err) => console.log('b close callback', err.code));
    process.nextTick(() => console.log('nextTick after b close'));
  });
});
