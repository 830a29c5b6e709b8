'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Counters, render, serveMetrics } = require('../src/metrics');
const { settings } = require('../src/settings');
const { OUTCOME } = require('../src/protocol');

test('counters count outcomes, and a tally is added once committed', () => {
  const tally = new Counters();
  tally.count({ outcome: OUTCOME.ANSWERED, replied: true, handlerRecords: 2 });
  tally.count({ outcome: OUTCOME.HANDLER_FAILED, replied: true, handlerRecords: 0 });
  tally.count({ outcome: OUTCOME.MALFORMED, replied: false, handlerRecords: 0 });
  tally.count({ outcome: OUTCOME.EXPIRED, replied: false, handlerRecords: 0 });
  const totals = new Counters();
  totals.add(tally);
  assert.deepEqual(totals.snapshot(), {
    requests: 4, replies: 2, records: 2, handlerErrors: 1, malformed: 1, expired: 1, abortedTransactions: 0,
  });
});

test('/metrics serves the counters in Prometheus text format', async () => {
  const counters = new Counters();
  counters.requests = 7;
  const server = await serveMetrics(counters, 'portico.fn."x"', 0, '127.0.0.1');
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    const response = await fetch(`${base}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.equal(text, render(counters, 'portico.fn."x"'));
    assert.match(text, /^# TYPE portico_function_requests_total counter$/m);
    assert.match(text, /^portico_function_requests_total\{function="portico\.fn\.\\"x\\""\} 7$/m);
    assert.equal((await fetch(`${base}/other`)).status, 404);
  } finally {
    server.close();
  }
});

test('settings: code wins over the environment, which wins over defaults', () => {
  const env = { PORTICO_FUNCTION_TOPIC: 'from-env', PORTICO_KAFKA_BOOTSTRAP: 'a:1,b:2', PORTICO_FUNCTION_METRICS_PORT: '9400' };
  const s = settings({ topic: 'from-code' }, env);
  assert.equal(s.topic, 'from-code');
  assert.equal(s.groupId, 'from-code');
  assert.deepEqual(s.bootstrapServers, ['a:1', 'b:2']);
  assert.equal(s.metricsPort, 9400);
  assert.equal(settings({}, env).topic, 'from-env');
  assert.equal(settings({ topic: 't' }, {}).metricsPort, null);
  assert.throws(() => settings({}, {}), /topic is required/);
  assert.throws(() => settings({ topic: 't' }, { PORTICO_FUNCTION_METRICS_PORT: 'x' }), /metricsPort/);
  assert.deepEqual(settings({ topic: 't', createTopic: true }, { PORTICO_TOPIC_PARTITIONS: '2' }).createTopic,
    { partitions: 2, replicationFactor: 1 });
});
