'use strict';
// S8 / net — a refused connect: net.Socket's _destroy reports back at once,
// so 'error' comes on a nextTick after the poll phase's connect callback,
// before the check phase; 'close' comes from the handle's close callback,
// in the close phase, after the immediates and before the next timers.
const net = require('net');

function mark(tag) {
  process.nextTick(() => console.log(tag, 'nextTick'));
  setImmediate(() => console.log(tag, 'immediate'));
  setTimeout(() => console.log(tag, 'timeout 0'), 0);
}

function watch(s, tag) {
  s.on('error', (e) => {
    console.log(tag, 'error', e.code || e.message);
    mark(`${tag} in-error`);
  });
  s.on('close', () => console.log(tag, 'close'));
}

const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    // Nobody listens on the port now.
    watch(net.connect(port, '127.0.0.1'), 'refused');
  });
});
