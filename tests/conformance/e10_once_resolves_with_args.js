// E10: events.once(emitter, name) adds its listeners at once (one for the
// name, one for 'error'), fulfils with the arguments of the next emission
// as an array and removes both listeners. events.once is an async
// function returning a promise, so its promise fulfils two microtask
// turns after the emission: a reaction to it runs after two turns of a
// chain started after the emit.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const p = EventEmitter.once(e, 'ready');
console.log('listeners: ready ' + e.listenerCount('ready') +
            ', error ' + e.listenerCount('error'));
p.then((args) => {
  console.log('once fulfilled: ' + args.length + ' args:' +
              args.map((v) => ' ' + v).join(''));
});
console.log('emit returned ' + e.emit('ready', 1, 'two', 3.5));
console.log('listeners: ready ' + e.listenerCount('ready') +
            ', error ' + e.listenerCount('error'));
console.log('emit again returned ' + e.emit('ready', 4));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
console.log('main: end');
