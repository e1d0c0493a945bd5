// T8: an unref'd timer still fires while something else (the ref'd 50 ms
// timer) keeps the loop alive. An unref'd timer started by the last ref'd
// callback does not keep the loop alive, so the loop ends without waiting
// for it.
'use strict';

setTimeout(() => console.log('unref\'d 10 ms timer fired'), 10).unref();
setTimeout(() => {
  console.log('ref\'d 50 ms timer fired; starting an unref\'d 1000 ms timer');
  setTimeout(() => console.log('1000 ms timer fired (wrong)'), 1000).unref();
}, 50);

process.on('exit', () => console.log('loop finished'));
