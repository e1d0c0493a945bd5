// P7: awaiting another async function: the inner one runs synchronously
// inside the call, and the outer resumes one turn after the inner's
// promise fulfils.
'use strict';

async function inner(name) {
  console.log(name + ': inner start');
  await null;
  console.log(name + ': inner end');
  return name + ' value';
}
async function outer(name) {
  console.log(name + ': outer start');
  const v = await inner(name);
  console.log(name + ': outer got ' + v);
}
outer('A');
outer('B');
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
console.log('main: end');
