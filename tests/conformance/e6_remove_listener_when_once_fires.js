// E6 with E3: a firing once-listener is reported by 'removeListener'
// before its body runs. Removing a 'removeListener' handler reports it to
// the handlers left, not to itself; a once('removeListener') handler is
// removed (and that removal reported) before it is told of the removal
// that fired it.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const o = () => console.log('o: body');
const p = () => console.log('p: body');
function r1(name, l) { console.log('r1: ' + name + ' ' + who(l)); }
function r2(name, l) { console.log('r2: ' + name + ' ' + who(l)); }
function r3(name, l) { console.log('r3: ' + name + ' ' + who(l)); }
function r4(name, l) { console.log('r4: ' + name + ' ' + who(l)); }
const all = { o, p, r1, r2, r3, r4 };
const who = (l) => Object.keys(all).find((k) => all[k] === l || all[k] === l.listener);

e.on('removeListener', r1);
e.on('removeListener', r2);
e.on('removeListener', r3);
e.once('x', o);
console.log('emit x (o alone):');
e.emit('x');
e.once('x', o);
e.on('x', p);
console.log('emit x (o and p):');
e.emit('x');
console.log('off removeListener r2:');
e.removeListener('removeListener', r2);
e.once('removeListener', r4);
console.log('off x p:');
e.removeListener('x', p);
console.log('removeListener handlers: ' + e.listenerCount('removeListener'));
