// P7 with M1: an async function started in a timer callback runs to its
// first await inside the callback; its continuations run in the checkpoint
// after that callback, before the next timer of the same phase.
'use strict';

async function work(name) {
  console.log(name + ': start');
  await null;
  console.log(name + ': after await 1');
  await Promise.resolve();
  console.log(name + ': after await 2');
}
setTimeout(() => { work('timeout A'); console.log('timeout A: callback end'); }, 1);
setTimeout(() => { work('timeout B'); console.log('timeout B: callback end'); }, 1);
