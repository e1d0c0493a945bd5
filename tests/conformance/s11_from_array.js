// S11: Readable.from(array) is an object-mode stream emitting the items
// in order, then 'end' and 'close'.
'use strict';
const { Readable } = require('stream');

const r = Readable.from([1, 2, 3]);
console.log('objectMode ' + r.readableObjectMode + ', hwm ' +
            r.readableHighWaterMark);
r.on('data', (v) => console.log('data ' + v));
r.on('end', () => console.log('end'));
r.on('close', () => console.log('close'));
process.nextTick(() => console.log('tick'));
console.log('main: end');
