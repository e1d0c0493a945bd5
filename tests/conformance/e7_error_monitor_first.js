// E7: errorMonitor listeners run before the 'error' listeners, and before
// the fatal path when there is no 'error' listener (they do not handle
// the error: it is still uncaught). Emitting errorMonitor alone is an
// ordinary event.
'use strict';
const EventEmitter = require('events');
const { errorMonitor } = EventEmitter;

const e = new EventEmitter();
function emitError(err) {
  let r;
  try {
    r = e.emit('error', err);
  } catch (x) {
    console.log('uncaught: ' + x.message);
    r = false;
  }
  console.log('emit returned ' + r);
}

e.on('error', (err) => console.log('error listener: ' + err.message));
e.on(errorMonitor, (err) => console.log('monitor 1: ' + err.message));
e.on(errorMonitor, (err) => console.log('monitor 2: ' + err.message));
console.log('with an error listener:');
emitError(new Error('first'));
e.removeAllListeners('error');
console.log('without one:');
emitError(new Error('second'));
console.log('monitor count ' + e.listenerCount(errorMonitor) +
            ', error count ' + e.listenerCount('error'));
console.log('emit errorMonitor itself:');
console.log('returned ' + e.emit(errorMonitor, new Error('direct')));
