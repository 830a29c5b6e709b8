'use strict';
/** Portico function SDK for Node.js: `serve(handler, options)`; see README.md. */
const { PorticoFunction, serve } = require('./function');
const { json, OUTCOME, HEADERS } = require('./protocol');

module.exports = { serve, PorticoFunction, json, OUTCOME, HEADERS };
