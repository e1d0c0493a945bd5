'use strict';
// H7 / http — the client goes in the middle of a request's body: the
// request emits 'aborted' then 'close' (no 'end', and no 'error' without
// a listener), the response closes without 'finish'.
const http = require('http');
const net = require('net');

const server = http.createServer((req, res) => {
  console.log('request', req.url);
  req.on('data', (d) => console.log('req data', d.length));
  req.on('end', () => console.log('req end'));
  req.on('aborted', () => console.log('req aborted', req.complete));
  req.on('close', () => {
    console.log('req close');
    server.close(() => console.log('server close'));
  });
  res.on('finish', () => console.log('res finish'));
  res.on('close', () => console.log('res close'));
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc');
    setTimeout(() => c.destroy(), 50);
  });
});
