// S8: a Writable whose _write failed, destroyed with another error in the
// same turn: 'error' and finished() carry the error given to destroy()
// (it travels through _destroy's callback), while errored keeps the
// write's error.
'use strict';
const { Writable, finished } = require('stream');

const w = new Writable({
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    cb(new Error('write failed'));
  },
});
w.on('error', (e) => console.log('error ' + e.message));
w.on('close', () => console.log('close, errored ' + w.errored.message));
finished(w, (e) => console.log('finished ' + e.message));
w.write('a', (e) => console.log('cb a ' + e.message));
w.destroy(new Error('destroyed'));
console.log('errored ' + w.errored.message);
console.log('main: end');
