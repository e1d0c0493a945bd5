// S5 on a Duplex with allowHalfOpen: false: the readable side's 'end'
// ends the writable side too ('finish'), then one 'close'.
'use strict';
const { Duplex } = require('stream');

const d = new Duplex({
  allowHalfOpen: false,
  read() {},
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    cb();
  },
});
for (const ev of ['end', 'prefinish', 'finish', 'close'])
  d.on(ev, () => console.log('event ' + ev));
d.on('data', (c) => console.log('data ' + c));
d.write('w1');
d.push('r1');
d.push(null);
console.log('main: end');
