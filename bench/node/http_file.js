'use strict';
// (http) A static file server as a typical node program writes one: the
// request path is looked up under the root directory <argv[3]> (fs.stat),
// answered 404 when it is not a regular file, else 200 with
// Content-Length, Content-Type from the extension and the file piped from
// fs.createReadStream into the response (a new stat, open, reads and close
// per request, as node's static servers do without a cache). Listens on
// 127.0.0.1:<argv[2]> and serves until it is killed; bench/run.js drives
// it with wrk and measures it from outside (/proc).
const fs = require('fs');
const http = require('http');
const path = require('path');

const port = Number(process.argv[2] || 0);
const root = process.argv[3] || '.';
const TYPES = { '.txt': 'text/plain', '.html': 'text/html', '.bin': 'application/octet-stream' };

http.createServer((req, res) => {
  const file = path.join(root, path.normalize(decodeURIComponent(req.url.split('?')[0])));
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
      res.writeHead(404, { 'Content-Length': 0 });
      res.end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Content-Length': st.size,
    });
    fs.createReadStream(file).pipe(res);
  });
}).listen(port, '127.0.0.1');
