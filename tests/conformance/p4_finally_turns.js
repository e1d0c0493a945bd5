// P4: the pass-through of finally is itself built from a then and an
// adoption (as in V8), so a value behind finally arrives later than behind
// a plain then; the tick chain counts the turns.
'use strict';

Promise.resolve('via then')
  .then((v) => v)
  .then((v) => console.log('then: ' + v));
Promise.resolve('via finally')
  .finally(() => console.log('finally callback'))
  .then((v) => console.log('finally: ' + v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'))
  .then(() => console.log('tick 5'))
  .then(() => console.log('tick 6'));
