// E4: removeAllListeners during an emit (of that event, or of every
// event) still lets the emit call the rest of its listeners; emits nested
// after it, and later ones, find none.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
function a() {
  console.log('a');
  e.removeAllListeners('x');
  console.log('a: removed all of x, count ' + e.listenerCount('x'));
  console.log('a: nested emit returned ' + e.emit('x'));
}
const b = () => console.log('b');
const c = () => console.log('c');
e.on('x', a);
e.on('x', b);
e.on('x', c);
console.log('emit 1 returned ' + e.emit('x'));
console.log('emit 2 returned ' + e.emit('x'));

function p() {
  console.log('p');
  e.removeAllListeners();
  console.log('p: removed all, names ' + e.eventNames().length);
}
const q = () => console.log('q');
const z = () => console.log('z');
e.on('y', p);
e.on('y', q);
e.on('z', z);
console.log('emit y 1 returned ' + e.emit('y'));
console.log('emit y 2 returned ' + e.emit('y'));
console.log('emit z returned ' + e.emit('z'));
