'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { processRequest, replyAddress, responseProblem, json, OUTCOME, HEADERS } = require('../src/protocol');
const { hello } = require('../examples/hello');

const quiet = { warn() {}, error() {}, info() {} };
const NOW = 1_800_000_000_000;

function message({ value = JSON.stringify({ version: '2.0', pathParameters: { name: 'Ada' } }), headers } = {}) {
  return {
    topic: 'portico.fn.hello',
    partition: 2,
    offset: '41',
    key: Buffer.from('Ada'),
    value: value === null ? null : Buffer.from(value),
    headers: headers ?? {
      [HEADERS.CORRELATION_ID]: Buffer.from('c-1'),
      [HEADERS.REPLY_TOPIC]: Buffer.from('portico.edge.replies'),
      [HEADERS.REPLY_PARTITION]: Buffer.from('3'),
      [HEADERS.DEADLINE]: Buffer.from(String(NOW + 5000)),
    },
  };
}

const run = (msg, handler, now = NOW) => processRequest(msg, handler, { now, log: quiet });

test('the reply goes to exactly the reply topic and partition, with the protocol headers', async () => {
  const result = await run(message(), () => json(200, { ok: true }));
  assert.equal(result.outcome, OUTCOME.ANSWERED);
  assert.equal(result.replied, true);
  assert.equal(result.records.length, 1);
  const [reply] = result.records;
  assert.equal(reply.topic, 'portico.edge.replies');
  assert.equal(reply.partition, 3);
  assert.equal(reply.key, 'c-1');
  assert.deepEqual(reply.headers, {
    'portico-correlation-id': 'c-1',
    'portico-event-id': 'c-1',
    'portico-event-type': 'FunctionResponse',
    'portico-schema-version': '1',
  });
  assert.deepEqual(JSON.parse(reply.value), {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"ok":true}',
    isBase64Encoded: false,
  });
});

test('the last header of a repeated name wins', () => {
  const address = replyAddress({
    [HEADERS.CORRELATION_ID]: [Buffer.from('old'), Buffer.from('new')],
    [HEADERS.REPLY_TOPIC]: Buffer.from('r'),
    [HEADERS.REPLY_PARTITION]: [Buffer.from('1'), Buffer.from('0')],
  });
  assert.deepEqual(address, { topic: 'r', partition: 0, correlationId: 'new', deadline: Infinity });
});

test('a request past its deadline is skipped: no handler call, nothing sent', async () => {
  let called = false;
  const result = await run(message(), () => { called = true; return json(200, {}); }, NOW + 5001);
  assert.equal(result.outcome, OUTCOME.EXPIRED);
  assert.deepEqual(result.records, []);
  assert.equal(called, false);
});

test('a value that is not a JSON object is answered 400', async () => {
  for (const value of ['not json', '[1,2]', '42', null]) {
    const result = await run(message({ value }), () => json(200, {}));
    assert.equal(result.outcome, OUTCOME.MALFORMED, String(value));
    assert.equal(JSON.parse(result.records[0].value).statusCode, 400);
    assert.equal(JSON.parse(JSON.parse(result.records[0].value).body).message, 'Malformed request event');
  }
});

test('a failing handler is answered 500 and its records are discarded', async () => {
  const result = await run(message(), async (event, context) => {
    context.send('audit', 'k', 'v');
    throw new Error('boom');
  });
  assert.equal(result.outcome, OUTCOME.HANDLER_FAILED);
  assert.equal(result.records.length, 1);
  assert.equal(result.records[0].topic, 'portico.edge.replies');
  assert.deepEqual(JSON.parse(JSON.parse(result.records[0].value).body), { message: 'Internal server error' });
});

test('a response that is not a response event is answered 500', async () => {
  for (const bad of [undefined, { statusCode: 99 }, { statusCode: 200, body: { a: 1 } }, { statusCode: '200' },
    { statusCode: 200, headers: { n: 1 } }]) {
    const result = await run(message(), () => bad);
    assert.equal(result.outcome, OUTCOME.HANDLER_FAILED, JSON.stringify(bad));
  }
  assert.equal(responseProblem({ statusCode: 204 }), null);
});

test('the handler records come before the reply and are counted', async () => {
  const result = await run(message(), (event, context) => {
    context.send('audit', 'Ada', 'hello');
    return json(200, {});
  });
  assert.deepEqual(result.records.map((r) => r.topic), ['audit', 'portico.edge.replies']);
  assert.equal(result.handlerRecords, 1);
});

test('a record larger than the producer accepts throws in the handler: 500', async () => {
  const result = await processRequest(message(), (event, context) => {
    context.send('audit', 'k', 'x'.repeat(2000));
    return json(200, {});
  }, { now: NOW, log: quiet, maxRecordBytes: 1000 });
  assert.equal(result.outcome, OUTCOME.HANDLER_FAILED);
  assert.equal(result.handlerRecords, 0);
});

test('an asynchronous invocation runs the handler and sends no reply', async () => {
  const result = await run(message({ headers: {} }), (event, context) => {
    assert.equal(context.expectsReply, false);
    context.send('audit', null, 'x');
    return json(200, {});
  });
  assert.equal(result.replied, false);
  assert.deepEqual(result.records.map((r) => r.topic), ['audit']);
});

test('a bad reply partition: the handler runs, the reply is dropped', async () => {
  let called = false;
  const headers = { ...message().headers, [HEADERS.REPLY_PARTITION]: Buffer.from('-1') };
  const result = await run(message({ headers }), () => { called = true; return json(200, {}); });
  assert.equal(called, true);
  assert.equal(result.replied, false);
  assert.deepEqual(result.records, []);
});

test('the context tells the request apart and a 1.0 event reaches the handler as sent', async () => {
  const v1 = { version: '1.0', httpMethod: 'GET', resource: '/hello/{name}', multiValueHeaders: { A: ['1', '2'] } };
  let seen;
  await run(message({ value: JSON.stringify(v1) }), (event, context) => { seen = { event, context }; return json(200, {}); });
  assert.deepEqual(seen.event, v1);
  assert.equal(seen.context.payloadFormatVersion, '1.0');
  assert.equal(seen.context.correlationId, 'c-1');
  assert.equal(seen.context.deadline, NOW + 5000);
  assert.equal(seen.context.key, 'Ada');
  assert.equal(seen.context.partition, 2);
  assert.equal(seen.context.headers['portico-reply-partition'], '3');
});

test('the hello example greets as the Java example does', () => {
  const greet = (event) => {
    const response = hello(event);
    return [response.statusCode, JSON.parse(response.body)];
  };
  assert.deepEqual(greet({ pathParameters: { name: 'Ada' }, requestContext: { stage: 'prod' } }),
    [200, { message: 'Hello, Ada!', stage: 'prod' }]);
  assert.deepEqual(greet({ queryStringParameters: { name: 'Bo' } }), [200, { message: 'Hello, Bo!', stage: null }]);
  assert.deepEqual(greet({ pathParameters: { name: ' ' } }), [200, { message: 'Hello, world!', stage: null }]);
  assert.equal(greet({ pathParameters: { name: 'x'.repeat(65) } })[0], 400);
  assert.deepEqual(greet({ pathParameters: { name: 'a"b' }, requestContext: { stage: 'd' } }),
    [200, { message: 'Hello, a"b!', stage: 'd' }]);
});
