'use strict';
// The example function in Node.js, as function-example's HelloHandler in Java:
// GET /hello/{name} (or ?name=) answers {"message":"Hello, <name>!","stage":"<stage>"}.
// Run: PORTICO_KAFKA_BOOTSTRAP=localhost:9092 node examples/hello.js
const { serve, json } = require('..');

const MAX_NAME_LENGTH = 64;

function hello(event) {
  const name = nonBlank(event.pathParameters, 'name') ?? nonBlank(event.queryStringParameters, 'name') ?? 'world';
  if (name.length > MAX_NAME_LENGTH) {
    return json(400, { message: `name must be at most ${MAX_NAME_LENGTH} characters` });
  }
  return json(200, { message: `Hello, ${name}!`, stage: event.requestContext?.stage ?? null });
}

function nonBlank(parameters, name) {
  const value = parameters ? parameters[name] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

if (require.main === module) {
  serve(hello, { topic: process.env.PORTICO_FUNCTION_TOPIC || 'portico.fn.hello-node', createTopic: true });
}

module.exports = { hello };
