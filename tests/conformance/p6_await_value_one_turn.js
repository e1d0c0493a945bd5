// P6: each `await` of a plain value costs exactly one microtask turn, so
// an async function awaiting in a loop keeps pace with a then chain.
'use strict';

Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));

async function f() {
  for (let i = 1; i <= 3; i++) {
    const v = await (i * 10);
    console.log('f: await ' + i + ' gave ' + v);
  }
}
f();
console.log('main: end');
