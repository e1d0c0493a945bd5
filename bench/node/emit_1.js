'use strict';
// 'tick' emits with 1 listener(s): see emit.js.
require('./emit')(1);
