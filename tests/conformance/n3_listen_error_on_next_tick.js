'use strict';
// N3 / net — a listen that fails (the port is taken) is the server's
// 'error' on a tick, not a throw: without a host on the tick after the
// call, with a host one tick later (after the host's lookup tick).
const net = require('net');

const first = net.createServer();
first.listen(0, '127.0.0.1', () => {
  const port = first.address().port;
  const a = net.createServer();
  const b = net.createServer();
  a.on('error', (e) => console.log('a error', e.code, a.listening));
  b.on('error', (e) => console.log('b error', e.code, b.listening));
  b.listen(port, '127.0.0.1');
  process.nextTick(() => console.log('nextTick 1'));
  a.listen(port);
  console.log('listen returned');
  process.nextTick(() => console.log('nextTick 2'));
  Promise.resolve().then(() => console.log('microtask'));
  setImmediate(() => {
    console.log('immediate');
    first.close();
  });
});
