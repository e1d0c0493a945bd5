// T7/T6: refresh() after clearTimeout does nothing, whether the timeout was
// cleared before it fired, after it fired, or (an interval) inside its own
// callback; it does not keep the loop alive either.
'use strict';

const before = setTimeout(() => console.log('cleared before firing: ran'), 5);
clearTimeout(before);
before.refresh();

const after = setTimeout(() => console.log('fired once'), 5);
const iv = setInterval(() => {
  console.log('interval clears itself');
  clearInterval(iv);
  iv.refresh();
}, 5);

setTimeout(() => {
  clearTimeout(after);
  after.refresh();
  before.refresh();
  console.log('refreshed the cleared ones');
}, 20);

process.on('exit', () => console.log('loop finished'));
