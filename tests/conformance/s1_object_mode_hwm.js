// S1 in object mode: the high-water mark counts objects (2 here), and
// read() hands out one object at a time.
'use strict';
const { Readable } = require('stream');

const r = new Readable({ objectMode: true, highWaterMark: 2, read() {} });
console.log('push 1: ' + r.push(1));
console.log('push 2: ' + r.push(2));
console.log('push 3: ' + r.push(3));
console.log('length ' + r.readableLength);
console.log('read ' + r.read());
console.log('length ' + r.readableLength);
r.on('data', (v) => console.log('data ' + v));
r.on('end', () => console.log('end'));
r.on('close', () => console.log('close'));
setImmediate(() => {
  console.log('push 4: ' + r.push(4));
  r.push(null);
});
console.log('main: end');
