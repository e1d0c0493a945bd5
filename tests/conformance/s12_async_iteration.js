// S12: `for await` reads chunk by chunk and ends when the stream ends;
// the stream is destroyed ('close') when the loop is done.
'use strict';
const { Readable } = require('stream');

const r = new Readable({ read() {} });
r.on('close', () => console.log('close'));
setImmediate(() => {
  r.push('a');
  setImmediate(() => {
    r.push('b');
    r.push(null);
  });
});
(async () => {
  for await (const chunk of r)
    console.log('chunk ' + chunk);
  console.log('loop done, destroyed ' + r.destroyed);
})();
console.log('main: end');
