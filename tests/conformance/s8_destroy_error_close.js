// S8: destroy(err) marks the stream destroyed at once; 'error' then
// 'close' follow on a nextTick, each once; a second destroy does nothing.
'use strict';
const { Readable } = require('stream');

const r = new Readable({
  read() {},
  destroy(err, cb) {
    console.log('_destroy ' + (err ? err.message : null));
    cb(err);
  },
});
r.on('error', (e) => console.log('error ' + e.message));
r.on('close', () => console.log('close'));
r.destroy(new Error('boom'));
console.log('destroyed ' + r.destroyed);
r.destroy(new Error('again'));
console.log('push after destroy: ' + r.push('x'));
process.nextTick(() => console.log('tick'));
console.log('main: end');
