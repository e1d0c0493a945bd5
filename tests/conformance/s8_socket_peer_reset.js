'use strict';
// S8 / net — the peer resets the connection: the read fails in the poll
// phase and destroys the socket; 'error' (ECONNRESET) comes on the next
// nextTick, before the check phase; 'close' comes from the handle's close
// callback, in the close phase, after the immediates and before the next
// timers.
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

const server = net.createServer((conn) => conn.resetAndDestroy());
server.listen(0, '127.0.0.1', () => {
  watch(net.connect(server.address().port, '127.0.0.1'), 'reset');
});
