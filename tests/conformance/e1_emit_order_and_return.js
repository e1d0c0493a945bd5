// E1: emit calls the listeners synchronously, in registration order, each
// with all of the emit's arguments, and returns whether there were any.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const listener = (name) => (...args) =>
  console.log(name + ':' + args.map((v) => ' ' + v).join(''));
const a = listener('a'), b = listener('b'), c = listener('c');

console.log('emit with no listeners: ' + e.emit('data', 1));
e.on('data', a);
e.on('data', b);
e.on('other', c);
e.on('data', c);
console.log('emit data: begin');
const r = e.emit('data', 1, 2.5, 'three');
console.log('emit data: end, returned ' + r);
console.log('emit other: ' + e.emit('other'));
console.log('emit unknown: ' + e.emit('unknown', 7));
e.removeListener('other', c);
console.log('emit other after its removal: ' + e.emit('other'));
