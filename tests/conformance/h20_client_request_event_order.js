'use strict';
// http client — a POST's events in order: the request's 'socket', its
// 'finish', 'response', the body's 'data' and 'end', the request's 'close',
// then the response's 'close'.
const http = require('http');
const srv = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => res.end('got ' + body));
});
srv.listen(0, '127.0.0.1', () => {
  const req = http.request({ host: '127.0.0.1', port: srv.address().port,
                             method: 'POST', path: '/' });
  req.on('socket', () => console.log('req socket'));
  req.on('finish', () => console.log('req finish'));
  req.on('response', (res) => {
    console.log('response', res.statusCode, res.headers['content-length']);
    res.on('data', (d) => console.log('res data', String(d)));
    res.on('end', () => console.log('res end'));
    res.on('close', () => {
      console.log('res close');
      http.globalAgent.destroy();
      srv.close();
    });
  });
  req.on('close', () => console.log('req close'));
  req.write('ab');
  req.end('cd');
  console.log('sync end');
});
