// S3: 'end' is emitted only once the data was consumed: a stream ended
// with data nobody reads stays open; attaching a 'data' listener later
// delivers the data, then 'end', then 'close'.
'use strict';
const { Readable } = require('stream');

const r = new Readable({ read() {} });
r.on('end', () => console.log('end'));
r.on('close', () => console.log('close'));
r.push('a');
r.push(null);
setImmediate(() => {
  console.log('immediate: ended ' + r.readableEnded + ', length ' +
              r.readableLength);
  r.on('data', (c) => console.log('data ' + c));
});
console.log('main: end');
