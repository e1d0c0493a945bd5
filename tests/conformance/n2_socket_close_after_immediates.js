'use strict';
// net — destroying a socket: its 'close' comes from the close phase, after
// the immediates queued with it, and after its nextTicks and microtasks.
const net = require('net');
const server = net.createServer((conn) => conn.destroy());
server.listen(0, '127.0.0.1', () => {
  const s = net.connect(server.address().port, '127.0.0.1');
  s.on('connect', () => {
    s.on('close', () => {
      console.log('close');
      server.close();
    });
    s.destroy();
    setImmediate(() => console.log('immediate'));
    process.nextTick(() => console.log('nextTick'));
    Promise.resolve().then(() => console.log('microtask'));
    console.log('destroy called');
  });
});
