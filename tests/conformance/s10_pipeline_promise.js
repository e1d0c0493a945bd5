// S10: the promise form of pipeline() settles with the callback's
// outcome: fulfilled after success, rejected with the first error.
'use strict';
const { Readable, Writable } = require('stream');
const { pipeline } = require('stream/promises');

async function run(fail) {
  const src = new Readable({ read() {} });
  const dst = new Writable({
    write(chunk, enc, cb) {
      console.log('_write ' + chunk);
      cb(fail ? new Error('write failed') : null);
    },
  });
  src.push('x');
  src.push(null);
  try {
    await pipeline(src, dst);
    console.log('fulfilled');
  } catch (e) {
    console.log('rejected: ' + e.message);
  }
}
run(false).then(() => run(true)).then(() => console.log('all done'));
console.log('main: end');
