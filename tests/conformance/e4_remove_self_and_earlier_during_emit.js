// E4: a listener that removes itself and an earlier listener during an
// emit changes nothing for that emit (the earlier one already ran, itself
// is running, the later ones still run); the next emit calls only what is
// left.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const a = () => console.log('a');
function b() {
  console.log('b');
  e.removeListener('x', b);
  e.removeListener('x', a);
  console.log('b: removed itself and a, count ' + e.listenerCount('x'));
}
const c = () => console.log('c');

e.on('x', a);
e.on('x', b);
e.on('x', c);
console.log('emit 1 returned ' + e.emit('x'));
console.log('emit 2 returned ' + e.emit('x'));
e.removeListener('x', c);
console.log('emit 3 returned ' + e.emit('x'));
