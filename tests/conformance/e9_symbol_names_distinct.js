// E9 with E1: a symbol is an event name equal to no other, not even a name
// spelled like its description, nor another symbol with the same one; it
// appears in eventNames (added here after the string names, where Node
// lists symbols).
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const s1 = Symbol('tick');
const s2 = Symbol('tick');
const show = (n) => (typeof n === 'symbol' ? 'symbol ' + n.description : n);
const listener = (name) => (v) => console.log(name + ': ' + v);

e.on('tick', listener('string tick'));
e.on(s1, listener('symbol 1'));
e.on(s2, listener('symbol 2'));
console.log('emit string: ' + e.emit('tick', 1));
console.log('emit s1: ' + e.emit(s1, 2));
console.log('emit s2: ' + e.emit(s2, 3));
console.log('counts: ' + e.listenerCount('tick') + ' ' + e.listenerCount(s1) +
            ' ' + e.listenerCount(s2));
console.log('names:' + e.eventNames().map((n) => ' ' + show(n)).join(','));
e.removeAllListeners(s1);
console.log('emit s1 after removal: ' + e.emit(s1, 4));
console.log('names:' + e.eventNames().map((n) => ' ' + show(n)).join(','));
