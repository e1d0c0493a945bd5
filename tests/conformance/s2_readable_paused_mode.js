// S2: a 'readable' listener puts the stream in paused mode; read(n) takes
// exactly n bytes across chunk boundaries, or null until n are there (or
// the stream ended, then the rest).
'use strict';
const { Readable } = require('stream');

const r = new Readable({ read() {} });
r.on('readable', () => {
  console.log('readable, length ' + r.readableLength);
  let c;
  while ((c = r.read(3)) !== null)
    console.log('read(3) ' + c);
});
r.on('end', () => console.log('end'));
r.on('close', () => console.log('close'));
console.log('flowing ' + r.readableFlowing);
r.push('ab');
r.push('cdefg');
setImmediate(() => {
  r.push('hi');
  r.push(null);
});
console.log('main: end');
