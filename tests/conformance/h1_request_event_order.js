'use strict';
// H1 / http — one request on a kept-alive connection: 'connection', then
// 'request'; the response's 'finish' comes before the request's 'end'
// (its body is read after the handler resumed it), then the response's
// 'close', then the request's 'close'. The client then sees the whole
// response; closing the server after it closes the idle connection.
const http = require('http');
const net = require('net');

const server = http.createServer((req, res) => {
  console.log('request', req.method, req.url, req.httpVersion);
  req.on('end', () => console.log('req end'));
  req.on('close', () => console.log('req close'));
  res.on('finish', () => console.log('res finish'));
  res.on('close', () => console.log('res close'));
  req.resume();
  res.end('hello');
  console.log('end returned');
});
server.on('connection', () => console.log('connection'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  let got = '';
  c.on('data', (d) => {
    got += d;
    if (got.endsWith('hello')) {
      console.log('client got', got.split('\r\n')[0], got.length > 0);
      server.close(() => console.log('server close'));
    }
  });
  c.on('end', () => console.log('client end'));
  c.on('close', () => console.log('client close'));
});
