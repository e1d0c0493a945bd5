// T7: refresh() restarts a timer's countdown from now with the same delay
// and callback. A (100 ms) is refreshed by R at 50 ms, so it fires no
// earlier than 100 ms after the refresh, not at its original due time.
'use strict';

let refreshedAt;

setTimeout(() => {
  console.log('R (50 ms): refresh A');
  refreshedAt = process.hrtime.bigint();
  a.refresh();
}, 50);
const a = setTimeout(() => {
  const ms = Number(process.hrtime.bigint() - refreshedAt) / 1e6;
  console.log('A fired 100 ms after the refresh: ' + (ms >= 99 ? 'yes' : 'no'));
}, 100);
