// P6: awaiting a native promise costs one turn after it is fulfilled
// (no adoption turns): already fulfilled, it resumes on the next turn;
// pending, it resumes on the turn after it settles.
'use strict';

let resolveLater;
const later = new Promise((r) => { resolveLater = r; });

async function f() {
  const a = await Promise.resolve('ready');
  console.log('f: got ' + a);
  const b = await later;
  console.log('f: got ' + b);
}
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => { console.log('tick 2: resolving later'); resolveLater('later'); })
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
f();
console.log('main: end');
