// L3: with nothing but a timer pending, poll blocks until that timer is due:
// the loop sleeps (uses almost no CPU) instead of spinning.
'use strict';

const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();

setTimeout(() => {
  const waited = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log('timer fired after its delay: ' + (waited >= 199 ? 'yes' : 'no'));
  console.log('loop slept while waiting: ' +
              (cpuMs < waited / 2 ? 'yes' : 'no'));
}, 200);
console.log('main: one 200 ms timer, nothing else');
