// L5: an unref'd timer does not keep the loop alive: the loop ends at once
// and the timers never fire.
'use strict';

const a = setTimeout(() => console.log('timeout A fired (wrong)'), 50);
a.unref();
const b = setTimeout(() => console.log('timeout B fired (wrong)'), 50);
b.unref();

process.on('exit', () =>
  console.log('loop finished; unref\'d timers never fired'));
console.log('main: two unref\'d timers started');
