// T1: a delay below 1 or above 2^31-1 becomes 1 ms. So those timers queue up
// behind a 1 ms timer started before them (not ahead of it, as a 0 or
// negative delay would), and they fire before a 2 ms timer started after
// them (a 2^31 ms delay would not).
'use strict';

setTimeout(() => console.log('1 ms'), 1);
setTimeout(() => console.log('0 ms -> 1 ms'), 0);
setTimeout(() => console.log('-5 ms -> 1 ms'), -5);
setTimeout(() => console.log('2^31 ms -> 1 ms'), 2 ** 31);
setTimeout(() => console.log('2 ms'), 2);
