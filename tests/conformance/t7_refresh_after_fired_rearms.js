// T7: refresh() on a setTimeout that already fired (from another callback,
// after the fact) arms it again with the same callback, and the loop stays
// alive for it.
'use strict';

let runs = 0;
const t = setTimeout(() => {
  runs++;
  console.log(`timeout run ${runs}`);
}, 5);

setTimeout(() => {
  console.log('refresh after it fired');
  t.refresh();
}, 20);

process.on('exit', () => console.log('loop finished'));
