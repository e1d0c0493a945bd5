'use strict';
// A process waiting on one timer (default 2 s) with nothing else to do: the
// CPU time it burns while waiting should be zero.
const { arg, start, report } = require('./common');

const ms = arg(2000);
const csw0 = process.resourceUsage().voluntaryContextSwitches;
const b = start();
setTimeout(() => {
  const csw = process.resourceUsage().voluntaryContextSwitches - csw0;
  report(b, 1, `nvcsw=${csw}`);
}, ms);
