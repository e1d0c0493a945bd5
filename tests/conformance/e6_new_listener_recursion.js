// E6: the Node documentation's example: a once('newListener') handler that
// adds another listener to the event being added. That listener ends up
// before the one whose addition is being announced; the once-handler was
// removed before it ran, so the nested addition does not reach it.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const A = () => console.log('A');
const B = () => console.log('B');
function log(name, l) {
  console.log('log: newListener ' + String(name) + ' ' + who(l));
}
function insert(name, l) {
  console.log('insert: newListener ' + String(name) + ' ' + who(l));
  if (name === 'event') {
    e.on('event', B);
  }
}
const all = { A, B, log, insert };
const who = (l) => Object.keys(all).find((k) => all[k] === l || all[k] === l.listener);

e.on('newListener', log);
e.once('newListener', insert);
e.on('event', A);
console.log('emit:');
e.emit('event');
console.log('newListener count: ' + e.listenerCount('newListener'));
