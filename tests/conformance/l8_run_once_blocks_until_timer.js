// L8: with only a timer pending, a single run(ONCE) blocks in poll until the
// timer is due and runs it, so one call finishes the program (as a whole
// Node run does here).
'use strict';

const t0 = process.hrtime.bigint();
setTimeout(() => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log('timer fired after waiting: ' + (ms >= 49 ? 'yes' : 'no'));
}, 50);

process.on('exit', () => console.log('run(ONCE) returned: done'));
