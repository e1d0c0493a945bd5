'use strict';
// S8 / net — destroy() without an error on a connected socket: no
// 'error'; 'close' comes from the handle's close callback, in the close
// phase, after the immediates and before the next timers.
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
  s.on('close', () => {
    console.log(tag, 'close');
    server.close();
  });
}

const server = net.createServer((conn) => conn.destroy());
server.listen(0, '127.0.0.1', () => {
  const s = net.connect(server.address().port, '127.0.0.1');
  watch(s, 'destroy');
  s.on('connect', () => {
    s.destroy();
    console.log('destroy returned');
    mark('destroy');
  });
});
