// E8: more listeners than the maximum (default 10) are all kept and all
// called; the one-time warning goes to stderr (Node prints it after the
// current synchronous run), so only the counts are compared here.
// setMaxListeners(0) means unlimited; a negative maximum is refused.
// defaultMaxListeners applies to every emitter without its own maximum.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
let calls = 0;
const fns = [];
for (let i = 0; i < 15; i++) fns.push(() => { calls++; });

console.log('default: ' + EventEmitter.defaultMaxListeners);
console.log('max: ' + e.getMaxListeners());
for (let i = 0; i < 12; i++) e.on('data', fns[i]);
console.log('data listeners: ' + e.listenerCount('data'));
e.emit('data');
console.log('calls: ' + calls);

e.setMaxListeners(0);
console.log('max after setMaxListeners(0): ' + e.getMaxListeners());
for (let i = 0; i < 15; i++) e.on('more', fns[i]);
console.log('more listeners: ' + e.listenerCount('more'));
try {
  e.setMaxListeners(-1);
  console.log('setMaxListeners(-1) accepted');
} catch (x) {
  console.log('setMaxListeners(-1) refused');
}
console.log('max: ' + e.getMaxListeners());

const fresh = new EventEmitter();
const own = new EventEmitter();
own.setMaxListeners(5);
EventEmitter.defaultMaxListeners = 3;
console.log('default now: ' + EventEmitter.defaultMaxListeners);
console.log('fresh max: ' + fresh.getMaxListeners() +
            ', own max: ' + own.getMaxListeners() +
            ', e max: ' + e.getMaxListeners());
for (let i = 0; i < 4; i++) fresh.on('x', fns[i]);
console.log('fresh x listeners: ' + fresh.listenerCount('x'));
try {
  EventEmitter.defaultMaxListeners = -1;
  console.log('default -1 accepted');
} catch (x) {
  console.log('default -1 refused');
}
EventEmitter.defaultMaxListeners = 10;
console.log('fresh max: ' + fresh.getMaxListeners());
