'use strict';
// N7 / net — socket.setTimeout: 'timeout' comes after the idle time and
// leaves the socket open; the listener destroys it (with an error here),
// so 'error' follows on the next tick and 'close' carries hadError true.
// The peer sees its end: 'end' then 'close' (false). Each side's events
// go to its own log (how the two interleave is up to when the kernel
// delivers the FIN).
const net = require('net');

const logs = { server: [], client: [] };
let closed = 0;
function log(side, line) {
  logs[side].push(line);
}
function sideClosed() {
  if (++closed < 2) return;
  for (const side of ['server', 'client'])
    for (const line of logs[side]) console.log(side + ':', line);
}

const server = net.createServer((s) => {
  s.setTimeout(50);
  s.on('timeout', () => {
    log('server', 'timeout, destroyed ' + s.destroyed);
    s.destroy(new Error('idle'));
    log('server', 'destroy returned');
  });
  s.on('error', (e) => log('server', 'error ' + e.message));
  s.on('close', (hadError) => {
    log('server', 'close ' + hadError);
    server.close();
    sideClosed();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('end', () => log('client', 'end'));
  c.on('close', (hadError) => {
    log('client', 'close ' + hadError);
    sideClosed();
  });
});
