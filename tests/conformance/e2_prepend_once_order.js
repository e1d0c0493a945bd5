// E2 with E3: prependOnceListener puts a once-listener first; once-listeners
// keep their place among the others until they run, then leave.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const listener = (name) => () => console.log(name);
const a = listener('a'), b = listener('b'), c = listener('c');
const d = listener('d'), f = listener('f');
const all = { a, b, c, d, f };
const who = (l) => Object.keys(all).find((k) => all[k] === l || all[k] === l.listener);

e.on('x', a);
e.prependOnceListener('x', b);
e.once('x', c);
e.prependOnceListener('x', d);
e.prependListener('x', f);
console.log('raw: ' + e.rawListeners('x')
  .map((l) => who(l) + (l.listener ? '(once)' : '')).join(' '));
console.log('emit 1:');
e.emit('x');
console.log('raw: ' + e.rawListeners('x')
  .map((l) => who(l) + (l.listener ? '(once)' : '')).join(' '));
console.log('emit 2:');
e.emit('x');
e.prependOnceListener('x', c);
console.log('emit 3:');
e.emit('x');
console.log('emit 4:');
e.emit('x');
