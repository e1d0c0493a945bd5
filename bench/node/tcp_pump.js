'use strict';
// (net) libuv's pump with the net module: one connection on 127.0.0.1,
// client and server in the same process. The client writes 64 KiB chunks
// while write() returns true and waits for 'drain' when it does not; the
// server counts and discards what it reads. N bytes in all.
const net = require('net');
const { arg, start, report, check } = require('./common');

const CHUNK = 65536;
const n = arg(1073741824);
const chunk = Buffer.alloc(CHUNK, 'x');
let queued = 0;
let received = 0;
let peerEof = false;
let b;

const server = net.createServer((peer) => {
  peer.on('data', (d) => {
    received += d.length;
  });
  peer.on('end', () => {
    peerEof = true;
    server.close();
  });
});

server.listen(0, '127.0.0.1', () => {
  b = start();
  const client = net.connect(server.address().port, '127.0.0.1');
  function pump() {
    while (queued < n) {
      const len = Math.min(CHUNK, n - queued);
      queued += len;
      if (!client.write(len === CHUNK ? chunk : chunk.subarray(0, len))) {
        client.once('drain', pump);
        return;
      }
    }
    client.end();
  }
  client.on('connect', pump);
});

server.on('close', () => {
  check(queued === n && received === n && peerEof, 'all bytes received');
  report(b, received);
});
