'use strict';
// (events) emit('tick', i) N times on an emitter with 1 listener for 'tick';
// each listener adds i to a sum, checked at the end.
const EventEmitter = require('events');
const { arg, start, report, check } = require('./common');

const LISTENERS = 1;
const n = arg(20000000);
const e = new EventEmitter();
let sum = 0;
for (let k = 0; k < LISTENERS; k++) {
  e.on('tick', (v) => { sum += v; });
}
let heard = 0;
const b = start();
for (let i = 0; i < n; i++) heard += e.emit('tick', i);
check(heard === (LISTENERS ? n : 0), 'emit return values');
check(sum === LISTENERS * (n * (n - 1) / 2), 'listener sum');
report(b, n);
