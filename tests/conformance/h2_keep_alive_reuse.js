'use strict';
// H2 / http — keep-alive: a second request sent after the first response
// arrived comes on the same connection ('connection' once, 'request'
// twice), and each response says Connection: keep-alive.
const http = require('http');
const net = require('net');

let n = 0;
const server = http.createServer((req, res) => {
  const i = ++n;
  console.log('request', req.url);
  res.on('finish', () => console.log(`res ${i} finish`));
  res.on('close', () => console.log(`res ${i} close`));
  req.resume();
  res.end(req.url);
});
server.on('connection', () => console.log('connection'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('GET /one HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  let got = '';
  c.on('data', (d) => {
    got += d;
    if (got.endsWith('/one')) {
      console.log('client got /one', got.includes('Connection: keep-alive'));
      got = '';
      c.write('GET /two HTTP/1.1\r\nHost: x\r\n\r\n');
    } else if (got.endsWith('/two')) {
      console.log('client got /two', got.includes('Connection: keep-alive'));
      server.close(() => console.log('server close'));
    }
  });
  c.on('close', () => console.log('client close'));
});
