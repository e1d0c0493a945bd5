// P7: an error thrown (returned, in C) by an async function rejects its
// promise; awaiting it throws at the await (an error value in C), where it
// can be caught and recovered from, or passed on to the caller's promise.
'use strict';

async function leaf() {
  await null;
  throw new Error('leaf failed');
}
async function middle() {
  const v = await leaf(); // not caught: middle's promise rejects
  console.log('middle: never ' + v);
}
async function top() {
  try {
    await middle();
    console.log('top: never');
  } catch (e) {
    console.log('top: caught error: ' + e.message);
  }
  return 'recovered';
}
top().then((v) => console.log('top result: ' + v));
console.log('main: end');
