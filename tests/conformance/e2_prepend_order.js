// E2: prependListener puts the listener first: before every listener
// registered so far, including earlier prepended ones.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const listener = (name) => () => console.log(name);
const a = listener('a'), b = listener('b'), c = listener('c');
const d = listener('d'), f = listener('f');

e.prependListener('x', a); // first on an empty event
e.on('x', b);
e.prependListener('x', c);
e.prependListener('x', d);
e.on('x', f);
console.log('emit 1:');
e.emit('x');
e.removeListener('x', d);
e.prependListener('x', b);
console.log('emit 2:');
e.emit('x');
