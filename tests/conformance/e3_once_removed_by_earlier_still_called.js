// E3 with E4: a once-listener removed by an earlier listener of the same
// emit is still called by that emit (the emit's listeners were fixed when
// it began), and its removal is reported only once.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const a = () => console.log('a');
function b() {
  const before = e.listenerCount('x');
  e.removeListener('x', c);
  console.log('b: removed c: ' + (before - e.listenerCount('x')));
}
const c = () => console.log('c: called, count ' + e.listenerCount('x'));
const d = () => console.log('d');
const all = { a, b, c, d };
const who = (l) => Object.keys(all).find((k) => all[k] === l || all[k] === l.listener);
e.on('removeListener', (name, l) =>
  console.log('removeListener: ' + name + ' ' + who(l)));

e.on('x', a);
e.on('x', b);
e.once('x', c);
e.on('x', d);
console.log('emit 1:');
e.emit('x');
console.log('emit 2:');
e.emit('x');
