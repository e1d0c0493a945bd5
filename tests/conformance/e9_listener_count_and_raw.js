// E9: listenerCount counts once-listeners too, and with a listener counts
// its registrations (plain and once); listeners() and rawListeners() have
// the same length and order, listeners() giving the functions themselves,
// rawListeners() marking the once-registrations.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const listener = (name) => () => {};
const a = listener('a'), b = listener('b'), c = listener('c');
const all = { a, b, c };
const who = (l) => Object.keys(all).find((k) => all[k] === l || all[k] === l.listener);

const report = (what) => {
  console.log(what + ': count ' + e.listenerCount('x') +
              ', of a ' + e.listenerCount('x', a) +
              ', of b ' + e.listenerCount('x', b) +
              ', of c ' + e.listenerCount('x', c));
  console.log('  listeners:' + e.listeners('x')
    .map((l) => ' ' + who(l) + (l === all[who(l)] ? '' : '(wrapped)')).join(''));
  console.log('  raw:' + e.rawListeners('x')
    .map((l) => ' ' + who(l) + (l.listener ? '(once)' : '')).join(''));
};

report('none');
e.on('x', a);
e.once('x', a);
e.prependOnceListener('x', b);
e.on('x', c);
e.once('x', c);
report('registered');
e.emit('x');
report('after one emit');
e.removeListener('x', a);
report('after removing a');
