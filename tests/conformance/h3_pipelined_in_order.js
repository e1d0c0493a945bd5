'use strict';
// H3 / http — pipelining: two requests in one write are both emitted
// before either response finished; the second response, ended first,
// waits and is written after the first, in request order.
const http = require('http');
const net = require('net');

const server = http.createServer((req, res) => {
  console.log('request', req.url);
  res.on('finish', () => console.log('res finish', req.url));
  req.resume();
  if (req.url === '/slow')
    setTimeout(() => res.end('slow'), 30);
  else
    res.end('fast');
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n' +
            'GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  let got = '';
  c.on('data', (d) => {
    got += d;
    if (got.endsWith('fast')) {
      const bodies = got.split('\r\n\r\n').slice(1).map((s) => s.slice(0, 4));
      console.log('client got', bodies.join(' '));
      server.close(() => console.log('server close'));
    }
  });
  c.on('close', () => console.log('client close'));
});
