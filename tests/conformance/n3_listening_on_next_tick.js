'use strict';
// N3 / net — server.listen: without a host the socket is bound at once,
// with a numeric host on the next tick (Node looks the host up, and a
// number is answered on a tick); either way 'listening' comes on the tick
// after the bind, before the microtasks.
const net = require('net');

const a = net.createServer();
const b = net.createServer();
a.on('listening', () => console.log('a listening'));
b.on('listening', () => console.log('b listening'));
a.listen(0);
console.log('a bound at once', a.listening);
b.listen(0, '127.0.0.1');
console.log('b bound at once', b.listening);
process.nextTick(() => console.log('nextTick', a.listening, b.listening));
Promise.resolve().then(() => console.log('microtask'));
setImmediate(() => {
  console.log('immediate');
  a.close();
  b.close();
});
