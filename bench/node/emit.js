'use strict';
// (events) emit('tick', i) N times on an emitter with `listeners` listeners
// for 'tick'; each listener adds i to a sum, checked at the end. emit_0.js,
// emit_1.js, emit_3.js and emit_10.js run it with their count.
const EventEmitter = require('events');
const { arg, start, report, check } = require('./common');

module.exports = function run(listeners) {
  const n = arg(20000000);
  const e = new EventEmitter();
  let sum = 0;
  for (let k = 0; k < listeners; k++) {
    e.on('tick', (v) => { sum += v; });
  }
  let heard = 0;
  const b = start();
  for (let i = 0; i < n; i++) heard += e.emit('tick', i);
  check(heard === (listeners ? n : 0), 'emit return values');
  check(sum === listeners * (n * (n - 1) / 2), 'listener sum');
  report(b, n);
};
