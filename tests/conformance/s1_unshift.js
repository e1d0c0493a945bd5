// S1: unshift() puts bytes back at the front of the buffer; the next
// read sees them first.
'use strict';
const { Readable } = require('stream');

const r = new Readable({ read() {} });
r.push('hello');
r.push('world');
r.once('readable', () => {
  const head = r.read(3);
  console.log('read ' + head + ', length ' + r.readableLength);
  r.unshift(Buffer.from('HEL'));
  console.log('unshift, length ' + r.readableLength);
  console.log('read ' + r.read(4));
  console.log('read ' + r.read());
});
console.log('main: end');
