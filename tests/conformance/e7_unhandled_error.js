// E7: emitting 'error' with no 'error' listener is fatal: Node throws the
// error (or, for a non-Error argument, an ERR_UNHANDLED_ERROR carrying it);
// in C the uncaught-error hook gets the first argument (wrapped the same
// way) and emit returns 0. With an 'error' listener it is an ordinary
// event.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
function report(x) {
  console.log('uncaught: ' + x.code + ' ' + x.message);
}
function error(code, message) {
  return Object.assign(new Error(message), { code });
}
function emitError(...args) {
  let r;
  try {
    r = e.emit('error', ...args);
  } catch (x) {
    report(x);
    r = false;
  }
  console.log('emit returned ' + r);
}

e.on('other', () => console.log('other listener'));
console.log('emit error (an error):');
emitError(error('EINVAL', 'boom'), 'ignored');
console.log('emit error (a number):');
emitError(42);
console.log('emit error (no argument):');
emitError();

const onError = (err, extra) =>
  console.log('error listener: ' + err.message + ' ' + extra);
e.on('error', onError);
console.log('emit error with a listener:');
emitError(new Error('handled'), 'extra');
e.removeListener('error', onError);
console.log('emit error after its removal:');
emitError(error('EINVAL', 'again'));
