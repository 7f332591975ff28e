'use strict';

/**
 * Hearth mini-program SDK: `const { createClient } = require('hearth-miniprogram-sdk')`.
 * Dependency-free ES2017, CommonJS; the guide is docs/miniprogram.md.
 */
const { HearthClient } = require('./lib/client');
const { HearthError } = require('./lib/errors');

function createClient(options) {
  return new HearthClient(options);
}

module.exports = { createClient, HearthClient, HearthError };
