'use strict';
// (events) N times add a listener for 'x' and remove it again (on + off) on
// an emitter that already has 2 other listeners for 'x'. One operation is
// one on + off pair. A final emit checks that only the 2 remain.
const EventEmitter = require('events');
const { arg, start, report, check } = require('./common');

const n = arg(10000000);
const e = new EventEmitter();
let heard = 0;
e.on('x', () => { heard += 1; });
e.on('x', () => { heard += 2; });
function f() { heard += 100; }
const b = start();
for (let i = 0; i < n; i++) {
  e.on('x', f);
  e.off('x', f);
}
report(b, n);
e.emit('x');
check(heard === 3 && e.listenerCount('x') === 2, 'two listeners left');
