'use strict';
// (net) libuv's pound with the net module: 100 concurrent clients on
// 127.0.0.1, clients and server in the same process. Each client connects,
// writes "PING\n", reads the whole reply and closes; its slot then starts
// the next client, until N connections are done. The server echoes what
// it reads and closes on EOF (allowHalfOpen off).
const net = require('net');
const { arg, start, report, check } = require('./common');

const MSG = Buffer.from('PING\n');
const CONCURRENCY = 100;
const n = arg(10000);
let started = 0;
let done = 0;
let accepted = 0;
let served = 0;
let echoed = 0;
let port;
let b;

const server = net.createServer({ backlog: 511 }, (peer) => {
  accepted++;
  peer.on('data', (d) => {
    echoed += d.length;
    peer.write(d);
  });
  peer.on('close', (hadError) => {
    check(!hadError, 'server side closed cleanly');
    if (++served === n) server.close();
  });
});

function clientStart() {
  started++;
  const c = net.connect(port, '127.0.0.1');
  let parts = [];
  let got = 0;
  c.on('connect', () => c.write(MSG));
  c.on('data', (d) => {
    parts.push(d);
    got += d.length;
    check(got <= MSG.length, 'reply no longer than the message');
    if (got < MSG.length) return;
    check(Buffer.concat(parts).equals(MSG), 'reply === message');
    parts = [];
    c.destroy();
    done++;
    if (started < n) clientStart();
  });
}

server.listen({ port: 0, host: '127.0.0.1', backlog: 511 }, () => {
  port = server.address().port;
  b = start();
  for (let i = 0; i < CONCURRENCY && started < n; i++) clientStart();
});

server.on('close', () => {
  check(done === n && accepted === n && served === n &&
    echoed === n * MSG.length, 'every connection served');
  report(b, done);
});
