// S8 with _construct: destroy() during construction waits for it; then
// _destroy, 'error' and 'close' run; no _read or _write ever does.
'use strict';
const { Duplex } = require('stream');

const d = new Duplex({
  construct(cb) {
    console.log('_construct');
    setImmediate(() => {
      console.log('construct done');
      cb();
    });
  },
  read() { console.log('_read'); },
  write(c, e, cb) { console.log('_write'); cb(); },
  destroy(err, cb) {
    console.log('_destroy ' + (err && err.message));
    cb(err);
  },
});
d.on('error', (e) => console.log('error ' + e.message));
d.on('close', () => console.log('close'));
d.write('x');
d.destroy(new Error('stop'));
console.log('main: end');
