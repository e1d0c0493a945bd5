// E10: the timing of events.once when the emission comes in a later
// callback: its promise fulfils two microtask turns after the emit (the
// listener resolves an inner promise the async function's promise
// adopted), so a reaction to it, or an await of it, sees other microtasks
// first.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const chain = (name) => Promise.resolve()
  .then(() => console.log(name + ' 1'))
  .then(() => console.log(name + ' 2'))
  .then(() => console.log(name + ' 3'))
  .then(() => console.log(name + ' 4'));

EventEmitter.once(e, 'a').then((args) => console.log('once a: ' + args[0]));
(async () => {
  const [v] = await EventEmitter.once(e, 'b');
  console.log('await once b: ' + v);
})();

setImmediate(() => {
  console.log('immediate 1: emit a, then chain');
  e.emit('a', 'A');
  chain('after');
});
setImmediate(() => {
  console.log('immediate 2: chain, then emit b');
  chain('before');
  e.emit('b', 'B');
});
