// T2: timers with the same due time fire in the order they were started:
// A, B, C from the main program, then P, Q, R started by C.
'use strict';

const say = (s) => () => console.log(s);

setTimeout(say('A (10 ms)'), 10);
setTimeout(say('B (10 ms)'), 10);
setTimeout(() => {
  console.log('C (10 ms): start P, Q, R (5 ms)');
  setTimeout(say('P'), 5);
  setTimeout(say('Q'), 5);
  setTimeout(say('R'), 5);
}, 10);
