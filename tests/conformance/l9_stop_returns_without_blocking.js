// L9: stop() makes run() return at the end of the current iteration, without
// blocking in poll for the 10 s timer. Node has no stop(); this twin runs the
// code that follows evt_run() in the C program from an immediate queued
// behind the iteration's work, at the point run() would have returned.
'use strict';

const t0 = process.hrtime.bigint();
const long = setTimeout(() => console.log('10 s timer fired (wrong)'), 10000);

setTimeout(() => {
  console.log('timers: stop');
  setImmediate(() =>
    console.log('check: immediate queued before stop still runs'));
  setImmediate(afterRun);
}, 1);

function afterRun() {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log('run returned without waiting for the 10 s timer: ' +
              (ms < 2000 ? 'yes' : 'no'));
  clearTimeout(long);
}

process.on('exit', () => console.log('loop finished'));
