// E4: listeners added during an emit (appended or prepended) are not
// called by that emit, only by the next; also when the event had a single
// listener.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
let first = true;
function a() {
  console.log('a');
  if (first) {
    first = false;
    e.on('x', d);
    e.prependListener('x', f);
    console.log('a: added d and f, count ' + e.listenerCount('x'));
  }
}
const b = () => console.log('b');
const c = () => console.log('c');
const d = () => console.log('d');
const f = () => console.log('f');

e.on('x', a);
e.on('x', b);
e.on('x', c);
console.log('emit 1:');
e.emit('x');
console.log('emit 2:');
e.emit('x');

let added = false;
function s() {
  console.log('s');
  if (!added) {
    added = true;
    e.on('y', t);
  }
}
const t = () => console.log('t');
e.on('y', s);
console.log('emit y 1:');
e.emit('y');
console.log('emit y 2:');
e.emit('y');
