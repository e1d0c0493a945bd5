'use strict';
// N4 / net — a connection to a server of the same process: the server's
// 'connection' comes first, then the client's 'connect' and 'ready';
// getConnections counts it; both sides' 'close' carry hadError false.
// How the two sides' closing events interleave is up to when the kernel
// delivers each FIN, so each side's are kept in its own log, printed once
// both sides closed.
const net = require('net');

const logs = { server: [], client: [] };
let closed = 0;
function later(side, line) {
  logs[side].push(line);
}
function sideClosed() {
  if (++closed < 2) return;
  for (const side of ['server', 'client'])
    for (const line of logs[side]) console.log(side + ':', line);
}

const server = net.createServer();
server.on('connection', (s) => {
  server.getConnections((err, n) => console.log('connections', n));
  console.log('server connection');
  s.on('close', (hadError) => {
    later('server', `socket close ${hadError}`);
    server.close(() => {
      later('server', 'close callback');
      sideClosed();
    });
  });
  s.end();
});
server.listen(0, '127.0.0.1', () => {
  console.log('listening');
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => console.log('client connect'));
  c.on('ready', () => console.log('client ready'));
  c.on('end', () => later('client', 'end'));
  c.on('close', (hadError) => {
    later('client', `close ${hadError}`);
    sideClosed();
  });
});
