// T5: an interval is rescheduled after its callback, relative to the loop
// time then, not to its original due time: a late interval does not "catch
// up". The 10 ms interval first runs ~60 ms late, so its next run comes
// after the 65 ms timeout. Clearing it inside its own callback stops it.
'use strict';

function busyWait(ms) {
  const end = process.hrtime.bigint() + BigInt(ms) * 1000000n;
  while (process.hrtime.bigint() < end);
}

let n = 0;
const iv = setInterval(() => {
  n++;
  console.log(`interval ${n}`);
  if (n === 2) {
    clearInterval(iv);
    console.log('interval cleared inside its own callback');
  }
}, 10);
setTimeout(() => console.log('timeout 65 ms'), 65);
busyWait(60);

process.on('exit', () => console.log('loop finished'));
