// I4: while immediates are queued, poll does not block: a chain of five
// immediates, one per iteration, runs to its end while a 1 s timer is
// still pending; the last one clears the timer.
'use strict';

let n = 0;

function step() {
  n++;
  console.log(`immediate ${n}`);
  if (n < 5) {
    setImmediate(step);
  } else {
    clearTimeout(timer);
    console.log('all ran before the 1 s timer');
  }
}

const timer = setTimeout(() => console.log('1 s timer fired (wrong)'), 1000);
setImmediate(step);
