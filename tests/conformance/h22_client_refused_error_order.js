'use strict';
// http client — a refused connection: the request's 'socket' comes first
// (on a nextTick), then 'error' ECONNREFUSED and 'close'; no 'finish'.
const http = require('http');
const net = require('net');
const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const req = http.get({ host: '127.0.0.1', port });
    req.on('socket', () => console.log('socket'));
    req.on('finish', () => console.log('finish'));
    req.on('response', () => console.log('response'));
    req.on('error', (e) => console.log('error', e.code));
    req.on('close', () => console.log('close'));
    process.nextTick(() => console.log('nextTick'));
    console.log('sync');
  });
});
