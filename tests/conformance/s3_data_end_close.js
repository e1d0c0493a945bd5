// S3: with a 'data' listener the stream flows; 'end' fires after the last
// 'data', once, then 'close' (autoDestroy). Chunks pushed before flowing
// starts wait in the buffer; flowing starts on a nextTick.
'use strict';
const { Readable } = require('stream');

const r = new Readable({ read() {} });
for (const ev of ['data', 'end', 'close', 'resume', 'pause'])
  r.on(ev, (c) => console.log('r ' + ev + (c !== undefined ? ' ' + c : '')));
console.log('push a: ' + r.push('a'));
console.log('push b: ' + r.push('b'));
r.push(null);
process.nextTick(() => console.log('tick'));
Promise.resolve().then(() => console.log('microtask'));
setImmediate(() => console.log('immediate'));
console.log('main: end');
