// E7: an unheard 'error' whose argument is not an Error is thrown as
// ERR_UNHANDLED_ERROR, its message showing the value as util.inspect
// does: numbers, booleans, undefined (also for no argument at all). The
// C twin's uncaught-error hook gets the same code and message.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
function emitError(label, ...args) {
  try {
    e.emit('error', ...args);
  } catch (x) {
    console.log(label + ': ' + x.code + ' | ' + x.message);
  }
}
emitError('int', 42);
emitError('negative int', -7);
emitError('double', 3.5);
emitError('negative zero', -0);
emitError('true', true);
emitError('false', false);
emitError('undefined', undefined);
emitError('no argument');
