'use strict';
// A file streamed into a TCP socket: fs.createReadStream piped into a
// net.Socket on 127.0.0.1; the server pipes the accepted socket into a
// Writable that counts. The N-byte file is made before the clock starts.
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { Writable, pipeline } = require('stream');
const { arg, start, report, check } = require('./common');

const n = arg(2 ** 30);
const file = path.join(process.env.TMPDIR || os.tmpdir(),
  `evt-bench-f2s-${process.pid}`);
const block = Buffer.alloc(1 << 20);
for (let i = 0; i < block.length; i++) block[i] = 97 + (i % 26);
const fd = fs.openSync(file, 'w');
for (let left = n; left > 0;) {
  const len = Math.min(left, block.length);
  fs.writeSync(fd, block, 0, len);
  left -= len;
}
fs.closeSync(fd);

let received = 0;
let pending = 2; // both pipelines call back, in either order
let b;
function finished() {
  if (--pending > 0) return;
  check(received === n, `received ${received} of ${n}`);
  report(b, received);
  fs.unlinkSync(file);
}
const server = net.createServer((sock) => {
  const sink = new Writable({
    write(c, e, cb) { received += c.length; cb(); },
  });
  pipeline(sock, sink, (err) => {
    check(!err, `receiving pipeline: ${err}`);
    server.close();
    finished();
  });
});
server.listen(0, '127.0.0.1', () => {
  b = start();
  const client = net.connect(server.address().port, '127.0.0.1');
  pipeline(fs.createReadStream(file), client, (err) => {
    check(!err, `sending pipeline: ${err}`);
    finished();
  });
});
