'use strict';
// (http) The hello-world server: every request is answered with 200,
// "Content-Type: text/plain" and the 13 bytes "Hello, World!" (keep-alive
// as node's defaults give it). Listens on 127.0.0.1:<argv[2]> and serves
// until it is killed; bench/run.js drives it with wrk and measures it
// from outside (/proc), so it prints nothing.
const http = require('http');

const port = Number(process.argv[2] || 0);
const body = 'Hello, World!';

http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
  res.end(body);
}).listen(port, '127.0.0.1');
