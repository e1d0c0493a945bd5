// I4 (the other side): an unref'd immediate does not stop poll from waiting.
const t0 = Date.now();
setImmediate(() => console.log('unref immediate ran after the poll wait:', Date.now() - t0 >= 150)).unref();
setTimeout(() => console.log('timeout'), 200);
