// E5: removeListener removes the most recently added registration of the
// listener, once-registrations included; removing a listener that is not
// registered changes nothing and reports nothing.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const listener = (name) => () => console.log(name);
const a = listener('a'), b = listener('b'), other = listener('other');
e.on('removeListener', (name, l) =>
  console.log('removeListener: ' + name + ' ' +
              (l === a || l.listener === a ? 'a' : '?')));

const off = (name, fn) => {
  const before = e.listenerCount(name);
  e.removeListener(name, fn);
  console.log('off ' + name + ': ' + (before - e.listenerCount(name)));
};
const raw = (name) => console.log(name + ': ' + e.rawListeners(name)
  .map((l) => (l === a || l.listener === a ? 'a' : 'b') +
              (l.listener ? '(once)' : '')).join(' '));

// on a, on b, on a: the second a goes.
e.on('x', a);
e.on('x', b);
e.on('x', a);
off('x', a);
raw('x');
e.emit('x');

// on a, once a: the once-registration goes; a stays for every emit.
e.on('y', a);
e.once('y', a);
off('y', a);
raw('y');
e.emit('y');
e.emit('y');

// once a, on a: the plain one goes; a runs once.
e.once('z', a);
e.on('z', a);
off('z', a);
raw('z');
e.emit('z');
console.log('z again: ' + e.emit('z'));

// Not registered (another listener, or an event without listeners).
off('x', other);
off('nothing', a);
raw('x');
