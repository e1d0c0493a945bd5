// S8: destroying a Writable with buffered writes fails their callbacks
// with "Cannot call write after a stream was destroyed"; 'close' comes
// without 'error' when destroy() had none; a later write fails too.
'use strict';
const { Writable } = require('stream');

const w = new Writable({
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    setImmediate(cb);
  },
});
w.on('error', (e) => console.log('error ' + e.message));
w.on('close', () => console.log('close'));
w.write('a', (e) => console.log('cb a ' + (e ? e.message : null)));
w.write('b', (e) => console.log('cb b ' + (e ? e.message : null)));
w.destroy();
console.log('write c: ' + w.write('c', (e) => console.log('cb c ' + e.message)));
console.log('main: end');
