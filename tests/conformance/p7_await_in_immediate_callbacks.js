// P7 with M1: an async function started in a setImmediate callback resumes
// in the checkpoint after that callback, before the next immediate; an
// immediate queued by the async function after an await waits for the
// next check phase.
'use strict';

async function work(name) {
  console.log(name + ': start');
  await null;
  console.log(name + ': resumed');
  setImmediate(() => console.log(name + ': immediate from async'));
}
setImmediate(() => work('immediate A'));
setImmediate(() => work('immediate B'));
