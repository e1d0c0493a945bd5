'use strict';
// (a) One million setTimeout timers, delays spread over 1..1000 ms, run to
// completion.
const { arg, start, report, check, timerMs } = require('./common');

const n = arg(1000000);
let fired = 0;
const b = start();
function onTimer() {
  fired++;
}
for (let i = 0; i < n; i++) setTimeout(onTimer, timerMs(i));
process.on('beforeExit', () => {
  check(fired === n, 'fired === n');
  report(b, fired);
});
