// E1: a listener registered twice is two registrations: emit calls it
// twice, in place each time. (In C a listener is its (fn, arg) pair: the
// same fn with another arg is another listener, a distinct function here.)
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const listener = (name) => (v) => console.log(name + ': ' + v);
const a = listener('a'), a2 = listener('a2'), b = listener('b');

e.on('tick', a);
e.on('tick', b);
e.on('tick', a);
e.on('tick', a2);
console.log('count: ' + e.listenerCount('tick'));
console.log('count of a: ' + e.listenerCount('tick', a));
e.emit('tick', 1);
e.removeListener('tick', a);
console.log('count after one removal: ' + e.listenerCount('tick'));
e.emit('tick', 2);
e.removeListener('tick', a);
e.emit('tick', 3);
console.log('count of a: ' + e.listenerCount('tick', a));
