// S2 with setEncoding('utf8'): 'data' never splits a character; bytes of
// a character cut across pushes wait for the rest; a chunk holding only
// part of one emits nothing.
'use strict';
const { Readable } = require('stream');

const r = new Readable({ read() {} });
r.setEncoding('utf8');
r.on('data', (s) => console.log('data [' + s + ']'));
r.on('end', () => console.log('end'));
r.push(Buffer.from([0x61, 0xc3]));             // "a" + half of "é"
r.push(Buffer.from([0xa9, 0x7a, 0xe2]));       // rest of "é", "z", 1/3 "€"
setImmediate(() => {
  r.push(Buffer.from([0x82]));                 // 2/3 of "€": nothing yet
  r.push(Buffer.from([0xac, 0x21]));           // "€!"
  r.push(null);
});
console.log('main: end');
