// S12: breaking out of `for await` destroys the stream: the rest is
// never read, 'close' follows.
'use strict';
const { Readable } = require('stream');

const r = Readable.from([1, 2, 3, 4]);
r.on('close', () => console.log('close'));
r.on('end', () => console.log('end'));
(async () => {
  for await (const v of r) {
    console.log('value ' + v);
    if (v === 2) break;
  }
  console.log('after loop, destroyed ' + r.destroyed);
})();
console.log('main: end');
