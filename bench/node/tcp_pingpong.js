'use strict';
// (net) libuv's ping_pongs with the net module: one connection on
// 127.0.0.1, client and server in the same process. The client writes
// "PING\n", the server echoes what it reads, and the client writes again
// once the whole reply is in; N round trips. Nagle is off on both ends.
const net = require('net');
const { arg, start, report, check } = require('./common');

const MSG = Buffer.from('PING\n');
const n = arg(50000);
let done = 0;
let echoed = 0;
let peerEof = false;
let b;

const server = net.createServer((peer) => {
  peer.setNoDelay(true);
  peer.on('data', (d) => {
    echoed += d.length;
    peer.write(d);
  });
  peer.on('end', () => {
    peerEof = true;
  });
});

server.listen(0, '127.0.0.1', () => {
  b = start();
  const client = net.connect(server.address().port, '127.0.0.1');
  client.setNoDelay(true);
  let parts = [];
  let got = 0;
  client.on('connect', () => client.write(MSG));
  client.on('data', (d) => {
    parts.push(d);
    got += d.length;
    check(got <= MSG.length, 'reply no longer than the ping');
    if (got < MSG.length) return;
    check(Buffer.concat(parts).equals(MSG), 'reply === ping');
    parts = [];
    got = 0;
    if (++done < n) {
      client.write(MSG);
      return;
    }
    client.destroy();
    server.close();
  });
});

server.on('close', () => {
  check(done === n && echoed === n * MSG.length && peerEof, 'all echoed');
  report(b, done);
});
