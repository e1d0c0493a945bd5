// S2 with setEncoding('utf8'): a byte that can start no UTF-8 sequence
// (0xF8..0xFF) is not held back as the start of one; it goes out with its
// chunk (as U+FFFD in Node; eventide passes the byte through, so both
// print bytes outside printable ASCII as '?'). A real 4-byte lead (0xF7)
// at the end is still held, and becomes U+FFFD at the end.
'use strict';
const { Readable } = require('stream');

const shown = (s) => s.replace(/[^\x20-\x7e]/g, '?');
const r = new Readable({ read() {} });
r.setEncoding('utf8');
r.on('data', (s) => console.log('data [' + shown(s) + ']'));
r.on('end', () => console.log('end'));
r.push(Buffer.from([0x61, 0xff]));             // "a", an invalid byte
r.push(Buffer.from([0xf8]));                   // an invalid byte alone
setImmediate(() => {
  r.push(Buffer.from([0x62, 0xf7]));           // "b", a lone 4-byte lead
  r.push(null);
});
console.log('main: end');
