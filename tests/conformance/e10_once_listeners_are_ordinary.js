// E10 with E6: the listeners events.once adds are ordinary ones: their
// additions and removals are announced ('newListener' for the name, then
// for 'error'; on fulfilment the name's listener is removed first, on
// rejection the 'error' one), and they take their turn among the others.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
e.on('newListener', (name) => console.log('newListener: ' + name));
e.on('removeListener', (name) => console.log('removeListener: ' + name));
const before = (v) => console.log('before: ' + v);
const after = (v) => console.log('after: ' + v);

e.on('ready', before);
EventEmitter.once(e, 'ready').then(
  (args) => console.log('ready fulfilled: ' + args[0]));
e.on('ready', after);
console.log('emit ready:');
e.emit('ready', 1);
console.log('counts: ready ' + e.listenerCount('ready') +
            ', error ' + e.listenerCount('error'));

console.log('once done:');
EventEmitter.once(e, 'done').then(
  () => console.log('done: never'),
  (err) => console.log('done rejected: ' + err.message));
console.log('emit error:');
e.emit('error', new Error('bad'));
console.log('counts: done ' + e.listenerCount('done') +
            ', error ' + e.listenerCount('error'));
console.log('main: end');
