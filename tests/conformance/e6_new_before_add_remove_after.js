// E6: 'newListener' is emitted before the listener is added (its handlers
// see the count without it; a 'newListener' handler is not told about
// itself) and is given the listener itself, also for once-listeners;
// 'removeListener' is emitted after the removal (the count without it).
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const listener = (name) => () => console.log(name);
const a = listener('a'), b = listener('b'), c = listener('c');
const d = listener('d');
function n1(name, l) {
  console.log('n1: ' + name + ' ' + who(l) + ', count before ' +
              e.listenerCount(name));
}
function n2(name, l) {
  console.log('n2: ' + name + ' ' + who(l) + ', count before ' +
              e.listenerCount(name));
}
function r1(name, l) {
  console.log('r1: ' + name + ' ' + who(l) + ', count after ' +
              e.listenerCount(name));
}
const all = { a, b, c, d, n1, n2, r1 };
const who = (l) => Object.keys(all).find((k) => all[k] === l || all[k] === l.listener);

console.log('on newListener n1');
e.on('newListener', n1);
console.log('on x a');
e.on('x', a);
console.log('once x b');
e.once('x', b);
console.log('on newListener n2');
e.on('newListener', n2);
console.log('prepend x c');
e.prependListener('x', c);
console.log('prependOnce y d');
e.prependOnceListener('y', d);
console.log('on removeListener r1');
e.on('removeListener', r1);
console.log('off x a');
e.removeListener('x', a);
console.log('off x d (not there)');
e.removeListener('x', d);
console.log('emit x');
e.emit('x');
console.log('off newListener n1');
e.removeListener('newListener', n1);
console.log('on x a');
e.on('x', a);
