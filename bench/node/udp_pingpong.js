'use strict';
// (io) UDP ping-pong: two dgram sockets on 127.0.0.1 bounce a 32-byte
// datagram N times; ops = round trips.
const dgram = require('dgram');
const { arg, start, report, check } = require('./common');

const n = arg(200000);
const payload = Buffer.alloc(32, 'p');
const ping = dgram.createSocket('udp4');
const pong = dgram.createSocket('udp4');
let trips = 0;
let b;
let port;

pong.on('message', (msg, rinfo) => {
  pong.send(msg, rinfo.port, rinfo.address);
});
ping.on('message', (msg) => {
  check(msg.length === 32, 'length');
  if (++trips < n) {
    ping.send(payload, port, '127.0.0.1');
  } else {
    report(b, trips);
    ping.close();
    pong.close();
  }
});
pong.bind(0, '127.0.0.1', () => {
  ping.bind(0, '127.0.0.1', () => {
    port = pong.address().port;
    b = start();
    ping.send(payload, port, '127.0.0.1');
  });
});
