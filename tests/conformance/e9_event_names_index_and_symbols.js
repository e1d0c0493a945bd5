// E9: eventNames follows the order of a JavaScript object's keys: names
// that are array indices ("0" to "4294967294", no leading zero) first, in
// numeric order, then the other strings in the order they first got a
// listener, then the symbols in theirs.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const f = () => {};
const s1 = Symbol('first');
const s2 = Symbol('second');
const show = (n) => (typeof n === 'symbol' ? '[' + n.description + ']' : n);
const names = () =>
  console.log('names:' + e.eventNames().map((n) => ' ' + show(n)).join(''));

for (const n of [s1, 'b', '2', s2, '1', '10', '01', 'a', '-1',
                 '4294967295', '4294967294', '0'])
  e.on(n, f);
names();
e.removeAllListeners('b');
e.removeAllListeners('2');
e.removeAllListeners(s1);
e.on(s1, f);
e.on('2', f);
e.on('b', f);
names();
