// E3: a once-listener is removed before it is called: inside it the count
// no longer includes it, and 'removeListener' for it comes before its body.
// Two once-registrations of one listener run once each.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const a = () => console.log('a');
const b = () => console.log('b');
let current = 'x'; // the event being emitted
const o = () => console.log('o: count inside ' + e.listenerCount(current) +
                            ', raw ' + e.rawListeners(current).length);
const all = { a, b, o };
const who = (l) => Object.keys(all).find((k) => all[k] === l || all[k] === l.listener);
e.on('removeListener', (name, l) =>
  console.log('removeListener: ' + name + ' ' + who(l) +
              ', count now ' + e.listenerCount(name)));

e.on('x', a);
e.once('x', o);
e.on('x', b);
console.log('count before: ' + e.listenerCount('x'));
console.log('emit 1:');
e.emit('x');
console.log('emit 2:');
e.emit('x');

current = 'y';
e.once('y', o);
e.once('y', o);
console.log('emit y 1: ' + e.emit('y'));
console.log('emit y 2: ' + e.emit('y'));
