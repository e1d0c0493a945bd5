// E6 with E4: a 'removeListener' handler that adds listeners while
// removeAllListeners runs. removeAllListeners(name) removes the listeners
// the name had when it began: one added meanwhile stays. removeAllListeners()
// leaves the emitter empty whatever was added meanwhile (those are dropped
// without being reported).
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const listener = (name) => () => console.log(name);
const a = listener('a'), b = listener('b'), c = listener('c');
const n = listener('new x'), w = listener('w'), y2 = listener('new y');
const all = { a, b, c, 'new x': n, w, 'new y': y2 };
const who = (l) => Object.keys(all).find((k) => all[k] === l || all[k] === l.listener);
const names = () =>
  console.log('names:' + e.eventNames().map((k) => ' ' + k).join(''));

let step = 0;
function r(name, l) {
  console.log('r: ' + name + ' ' + who(l));
  if (step === 0 && name === 'x' && l === b) {
    step = 1;
    e.on('x', n);
    console.log('r: added new x');
  } else if (step === 2 && name === 'x' && l === a) {
    step = 3;
    e.on('w', w);
    e.on('y', y2);
    console.log('r: added w and new y');
  }
}

e.on('removeListener', r);
e.on('x', a);
e.on('x', b);
e.on('y', c);
console.log('removeAllListeners(x):');
e.removeAllListeners('x');
names();
console.log('emit x: ' + e.emit('x'));
e.removeListener('x', n);
e.on('x', a);
names();
step = 2;
console.log('removeAllListeners():');
e.removeAllListeners();
names();
console.log('emit w: ' + e.emit('w') + ', emit y: ' + e.emit('y'));
