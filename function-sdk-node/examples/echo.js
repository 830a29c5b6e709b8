'use strict';
// The benchmark's echo function: answers 200 with the request's own body (bench/run-functions.sh).
const { serve } = require('..');

serve(
  (event) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: event.body ?? '',
    isBase64Encoded: event.isBase64Encoded === true,
  }),
  { topic: process.env.PORTICO_FUNCTION_TOPIC || 'portico.bench.echo-node', createTopic: true },
);
