// E3: a once-listener that emits its own event again runs only once: it
// was removed before being called, so the nested emit does not see it.
// One fired by an emit nested in an earlier listener is skipped by the
// outer emit.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
let depth = 0;
function o() {
  depth++;
  console.log('once: depth ' + depth);
  const r = e.emit('x');
  console.log('once: nested emit returned ' + r);
  depth--;
}
function p() { console.log('on: depth ' + depth); }

e.once('x', o);
e.on('x', p);
console.log('emit 1 returned ' + e.emit('x'));
console.log('emit 2 returned ' + e.emit('x'));

// Alone on its event: the nested emit finds nobody.
function q() {
  console.log('q: nested emit returned ' + e.emit('y'));
}
e.once('y', q);
console.log('emit y 1 returned ' + e.emit('y'));
console.log('emit y 2 returned ' + e.emit('y'));

// Fired by an emit nested in an earlier listener: the outer emit, which
// began with it, skips it.
let nested = false;
function a() {
  console.log('a');
  if (!nested) {
    nested = true;
    console.log('a: nested emit begin');
    e.emit('z');
    console.log('a: nested emit end');
  }
}
const o2 = () => console.log('o2');
const b = () => console.log('b');
e.on('z', a);
e.once('z', o2);
e.on('z', b);
console.log('emit z 1:');
e.emit('z');
console.log('emit z 2:');
e.emit('z');
