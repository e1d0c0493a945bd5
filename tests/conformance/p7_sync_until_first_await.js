// P7: an async function runs synchronously up to its first await; its
// promise fulfils with the return value.
'use strict';

async function f() {
  console.log('f: start');
  await null;
  console.log('f: resumed');
  return 42;
}
console.log('main: before call');
const p = f();
console.log('main: after call');
p.then((v) => console.log('f result: ' + v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
