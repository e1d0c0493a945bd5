'use strict';
// http client — an agent with keepAlive sends a second request on the
// socket the first used once that socket is free (after the first
// request's 'close'); without an agent each request connects anew.
const http = require('http');
let conns = 0;
const srv = http.createServer((req, res) => res.end('x'));
srv.on('connection', () => { conns++; });
srv.listen(0, '127.0.0.1', () => {
  const port = srv.address().port;
  const agent = new http.Agent({ keepAlive: true });
  const run = (label, opts, left, done) => {
    const req = http.get(Object.assign({ host: '127.0.0.1', port }, opts),
                         (res) => res.resume());
    req.on('close', () => {
      console.log(label, 'reused', req.reusedSocket, 'connections', conns);
      if (left > 1) setImmediate(() => run(label, opts, left - 1, done));
      else done();
    });
  };
  run('keepAlive', { agent }, 2, () => {
    agent.destroy();
    run('no agent', { agent: false }, 2, () => srv.close());
  });
});
