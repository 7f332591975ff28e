'use strict';

/** Adds `item` to `list`; returns the function that takes it out again. */
function addListener(list, item) {
  list.push(item);
  return () => {
    const i = list.indexOf(item);
    if (i >= 0) {
      list.splice(i, 1);
    }
  };
}

module.exports = { addListener };
