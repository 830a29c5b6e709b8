'use strict';
// The echo function written with the Node.js SDK (function-sdk-node), as bench.jar's
// sdk-echo-function is with the Java SDK and echo.py with the Python SDK: every request is answered
// 200 with its own body, exactly once through the SDK's transactions. Configured from the
// environment (PORTICO_KAFKA_BOOTSTRAP, PORTICO_FUNCTION_TOPIC, PORTICO_FUNCTION_METRICS_PORT, ...).
// For bench/run-sdk-functions.sh; needs function-sdk-node's node_modules (npm ci --prefix function-sdk-node).
const { serve } = require('../../function-sdk-node');

function echo(event) {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: event.body ?? '',
    isBase64Encoded: event.isBase64Encoded === true,
  };
}

serve(echo, { groupId: process.env.PORTICO_FUNCTION_GROUP || 'bench-sdk-echo-node', createTopic: true });
