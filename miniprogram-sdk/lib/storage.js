'use strict';

/**
 * The storage the SDK keeps tokens in: `{get(key), set(key, value), remove(key)}`, or anything
 * with wx's synchronous storage calls (`getStorageSync`/`setStorageSync`/`removeStorageSync`):
 * `wx` itself by default. `getStorageSync` answers '' for a missing key; here that is undefined.
 */
function storageOf(s) {
  if (typeof s.get === 'function' && typeof s.set === 'function') {
    return {
      get: (k) => s.get(k),
      set: (k, v) => s.set(k, v),
      remove: (k) => (typeof s.remove === 'function' ? s.remove(k) : s.set(k, undefined)),
    };
  }
  return {
    get: (k) => {
      const v = s.getStorageSync(k);
      return v === '' ? undefined : v;
    },
    set: (k, v) => s.setStorageSync(k, v),
    remove: (k) => s.removeStorageSync(k),
  };
}

module.exports = { storageOf };
