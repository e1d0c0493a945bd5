'use strict';
// 'tick' emits with 10 listener(s): see emit.js.
require('./emit')(10);
