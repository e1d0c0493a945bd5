// E10: an 'error' emitted before the awaited event rejects the promise of
// events.once with that error and removes both listeners (the error is
// handled, not fatal); events.once for 'error' itself fulfils with the
// error's arguments.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
EventEmitter.once(e, 'ready').then(
  (args) => console.log('ready: never ' + args),
  (err) => console.log('ready rejected: ' + err.message));
console.log('emit error returned ' + e.emit('error', new Error('failed')));
console.log('listeners: ready ' + e.listenerCount('ready') +
            ', error ' + e.listenerCount('error'));

EventEmitter.once(e, 'error').then(
  (args) => console.log('error fulfilled: ' + args.length + ' args: ' +
                        args[0].message + ' ' + args[1]),
  (err) => console.log('error rejected: never ' + err));
console.log('listeners: error ' + e.listenerCount('error'));
console.log('emit error returned ' + e.emit('error', new Error('caught'), 7));
console.log('listeners: error ' + e.listenerCount('error'));
console.log('main: end');
