// P1: a promise settles once; later resolve/reject calls are ignored.
'use strict';

let resolveA, rejectA;
const a = new Promise((res, rej) => { resolveA = res; rejectA = rej; });
resolveA(1);
resolveA(2);
rejectA(new Error('too late'));
a.then((v) => console.log('a fulfilled: ' + v),
       (e) => console.log('a rejected: error: ' + e.message));

let resolveB, rejectB;
const b = new Promise((res, rej) => { resolveB = res; rejectB = rej; });
rejectB(new Error('first'));
resolveB(3);
rejectB(new Error('second'));
b.then((v) => console.log('b fulfilled: ' + v),
       (e) => console.log('b rejected: error: ' + e.message));
console.log('main: end');
