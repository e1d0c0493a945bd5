'use strict';
// N8 / net — net.connect with a host name: the name is looked up first
// ('lookup' with no error and the host), then 'connect' and 'ready'. A
// write made before the lookup ended waits for the connection. A numeric
// host is not looked up (no 'lookup'). The server listens on every
// address, so the name's first address is served whichever family it is.
const net = require('net');

const server = net.createServer((s) => {
  s.on('data', (d) => console.log('server data', String(d)));
  s.on('end', () => s.end());
  s.on('close', () => {
    if (--open === 0) server.close();
  });
});
let open = 2;
server.listen(0, () => {
  const port = server.address().port;
  const c = net.connect(port, 'localhost');
  c.on('lookup', (err, address, family, host) =>
    console.log('lookup', err, host));
  c.on('connect', () => console.log('connect'));
  c.on('ready', () => console.log('ready'));
  c.end('early');
  c.on('close', (hadError) => {
    console.log('close', hadError);
    const d = net.connect(port, '127.0.0.1');
    d.on('lookup', () => console.log('numeric lookup'));
    d.on('connect', () => { console.log('numeric connect'); d.end(); });
    d.on('close', (hadError) => console.log('numeric close', hadError));
  });
});
