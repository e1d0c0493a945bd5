// P2: a reaction registered on an already-settled promise is queued at
// once, behind microtasks already queued, but never runs synchronously.
'use strict';

const p = Promise.resolve(5);
queueMicrotask(() => console.log('microtask 1'));
p.then((v) => console.log('then: ' + v));
queueMicrotask(() => console.log('microtask 2'));
const r = Promise.reject(new Error('bad'));
r.catch((e) => console.log('catch: error: ' + e.message));
queueMicrotask(() => console.log('microtask 3'));
console.log('main: end');
