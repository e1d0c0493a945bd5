// P7: an async function that never awaits runs to completion inside the
// call; its promise is already settled (fulfilled or rejected) on return.
'use strict';

async function ok() {
  console.log('ok: body');
  return 'done';
}
async function fails() {
  console.log('fails: body');
  throw new Error('sync failure');
}
const a = ok();
const b = fails();
console.log('main: after calls');
a.then((v) => console.log('ok result: ' + v));
b.catch((e) => console.log('fails result: error: ' + e.message));
queueMicrotask(() => console.log('microtask'));
