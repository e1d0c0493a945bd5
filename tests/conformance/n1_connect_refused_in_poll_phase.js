'use strict';
// net — a refused connect to 127.0.0.1 is reported by the poll phase of the
// next iteration: after the nextTicks and microtasks, before immediates.
const net = require('net');
const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', (e) => console.log('connect error', e.code));
    setImmediate(() => console.log('immediate'));
    process.nextTick(() => console.log('nextTick'));
    Promise.resolve().then(() => console.log('microtask'));
    console.log('connect started');
  });
});
