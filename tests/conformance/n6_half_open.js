'use strict';
// N6 / net — the same half-close with allowHalfOpen true on both sides:
// after the client's end the server's side stays open until it calls
// end() itself (here after a reply, from its 'end' listener); the client
// reads the reply, then 'end', then closes.
// How the two sides' events interleave is up to when the kernel delivers
// each packet, so each side's are kept in its own log, printed once both
// sides closed.
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

const opts = { allowHalfOpen: true };
const server = net.createServer(opts, (s) => {
  s.on('data', (d) => log('server', 'data ' + String(d)));
  s.on('end', () => {
    log('server', 'end, writable ' + s.writable);
    s.end('bye');
  });
  s.on('finish', () => log('server', 'finish'));
  s.on('close', (hadError) => {
    log('server', 'close ' + hadError);
    server.close();
    sideClosed();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', ...opts });
  c.on('connect', () => c.end('hi'));
  c.on('data', (d) => log('client', 'data ' + String(d)));
  c.on('end', () => log('client', 'end'));
  c.on('finish', () => log('client', 'finish'));
  c.on('close', (hadError) => {
    log('client', 'close ' + hadError);
    sideClosed();
  });
});
