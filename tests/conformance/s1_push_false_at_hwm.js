// S1: push() returns false once the buffered length reaches
// highWaterMark (4 bytes here); _read is called again only when reading
// drains the buffer below it.
'use strict';
const { Readable } = require('stream');

let reads = 0;
const r = new Readable({
  highWaterMark: 4,
  read(n) {
    reads++;
    console.log('_read ' + n + ' (call ' + reads + ')');
    if (reads === 1) {
      setImmediate(() => console.log('push xyz: ' + this.push('xyz')));
    } else {
      this.push(null);
    }
  },
});
console.log('push ab: ' + r.push('ab'));
console.log('push cd: ' + r.push('cd'));
console.log('push e: ' + r.push('e'));
console.log('length ' + r.readableLength);
r.on('readable', () => {
  console.log('readable, length ' + r.readableLength);
  let c;
  while ((c = r.read()) !== null)
    console.log('read ' + c);
});
r.on('end', () => console.log('end'));
r.on('close', () => console.log('close'));
console.log('main: end');
