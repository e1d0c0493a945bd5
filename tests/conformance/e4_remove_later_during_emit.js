// E4: listeners removed during an emit by an earlier listener are still
// called by that emit; an emit nested after the removal, and the next
// emit, no longer call them.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
let calls = 0;
function a() {
  console.log('a');
  if (calls++ === 0) {
    e.removeListener('x', c);
    e.removeListener('x', d);
    console.log('a: removed c and d, count ' + e.listenerCount('x'));
  }
}
let nested = false;
function b() {
  console.log('b');
  if (!nested) {
    nested = true;
    console.log('b: nested emit begin');
    e.emit('x');
    console.log('b: nested emit end');
  }
}
const c = () => console.log('c');
const d = () => console.log('d');

e.on('x', a);
e.on('x', b);
e.on('x', c);
e.on('x', d);
console.log('emit 1:');
e.emit('x');
console.log('emit 2:');
e.emit('x');
