// E6: removeAllListeners(name) with 'removeListener' handlers reports each
// removal, last registered first; removeAllListeners() does every other
// event in eventNames order, then 'removeListener' itself, last handler
// first (each removal told to the handlers still left).
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const listener = (name) => () => console.log(name);
const a = listener('a'), b = listener('b'), c = listener('c');
const d = listener('d');
function r1(name, l) { console.log('r1: ' + name + ' ' + who(l)); }
function r2(name, l) { console.log('r2: ' + name + ' ' + who(l)); }
const all = { a, b, c, d, r1, r2 };
const who = (l) => Object.keys(all).find((k) => all[k] === l || all[k] === l.listener);
const names = () =>
  console.log('names:' + e.eventNames().map((n) => ' ' + n).join(''));

e.on('removeListener', r1);
e.on('x', a);
e.once('x', b);
e.on('y', c);
e.on('removeListener', r2);
e.on('x', d);
e.once('y', a);
names();
console.log('removeAllListeners(x):');
e.removeAllListeners('x');
names();
e.on('x', a);
names();
console.log('removeAllListeners(nothing):');
e.removeAllListeners('nothing');
console.log('removeAllListeners():');
e.removeAllListeners();
names();
