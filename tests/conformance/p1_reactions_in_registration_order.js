// P1: reactions registered on a pending promise run as microtasks, in
// registration order (then, catch and finally alike), once it settles.
'use strict';

let resolve;
const p = new Promise((r) => { resolve = r; });
p.then((v) => console.log('then 1: ' + v));
p.catch(() => console.log('catch: never'));
p.then((v) => console.log('then 2: ' + v));
p.finally(() => console.log('finally'));
p.then((v) => console.log('then 3: ' + v));
console.log('main: registered');
resolve(42);
console.log('main: resolved');
