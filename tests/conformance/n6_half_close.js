'use strict';
// N6 / net — the client ends its side (a half-close). allowHalfOpen
// false (the default) on both sides: the server reads 'end', ends its
// own side on the next tick ('finish'), the client reads 'end'; each
// side's 'close' (hadError false) follows its 'end' and 'finish'. A write
// in the server's 'end' listener still goes out.
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

const server = net.createServer((s) => {
  s.on('data', (d) => log('server', 'data ' + String(d)));
  s.on('end', () => {
    log('server', 'end');
    s.write('late');
  });
  s.on('finish', () => log('server', 'finish'));
  s.on('close', (hadError) => {
    log('server', 'close ' + hadError);
    server.close();
    sideClosed();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => c.end('hi'));
  c.on('data', (d) => log('client', 'data ' + String(d)));
  c.on('end', () => log('client', 'end'));
  c.on('finish', () => log('client', 'finish'));
  c.on('close', (hadError) => {
    log('client', 'close ' + hadError);
    sideClosed();
  });
});
