'use strict';
// 'tick' emits with 3 listener(s): see emit.js.
require('./emit')(3);
