// E9: eventNames lists the names in the order they first got a listener;
// a name whose last listener went (removeListener, removeAllListeners, a
// once-listener firing) and that gets one again moves to the end; adding
// to a name that still has listeners keeps its place.
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();
const f = () => {};
const g = () => {};
const names = (what) =>
  console.log(what + ':' + e.eventNames().map((n) => ' ' + n).join(''));

names('empty');
e.on('a', f);
e.on('b', f);
e.once('c', f);
e.on('d', f);
names('a b c d');
e.on('a', g);
e.prependListener('b', g);
names('more on a and b');
e.removeListener('a', f);
names('a still has g');
e.removeListener('a', g);
names('a emptied');
e.on('a', f);
names('a again');
e.emit('c');
names('c fired');
e.once('c', f);
names('c again');
e.removeAllListeners('b');
e.on('b', g);
names('b emptied and again');
e.removeAllListeners();
e.on('d', f);
e.on('a', f);
names('all removed, then d and a');
