'use strict';
/**
 * A function's settings: each option given in code, else its environment variable, else the
 * default. Validated here, so a typo fails at start rather than at the first request.
 */
const os = require('node:os');
const crypto = require('node:crypto');
const kafkaEnv = require('./kafka-env');

const ENV = {
  bootstrapServers: 'PORTICO_KAFKA_BOOTSTRAP',
  topic: 'PORTICO_FUNCTION_TOPIC',
  groupId: 'PORTICO_FUNCTION_GROUP',
  instanceId: 'PORTICO_FUNCTION_INSTANCE',
  metricsPort: 'PORTICO_FUNCTION_METRICS_PORT',
  metricsHost: 'PORTICO_FUNCTION_METRICS_HOST',
  sessionTimeoutMs: 'PORTICO_FUNCTION_SESSION_TIMEOUT_MS',
  partitions: 'PORTICO_TOPIC_PARTITIONS',
  replicationFactor: 'PORTICO_TOPIC_REPLICATION',
};

function settings(options = {}, env = process.env) {
  const pick = (name, fallback) => {
    if (options[name] !== undefined && options[name] !== null) return options[name];
    const value = env[ENV[name]];
    return value !== undefined && value.trim() !== '' ? value.trim() : fallback;
  };
  const integer = (name, fallback, min) => {
    const value = pick(name, fallback);
    if (value === null) return null;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new RangeError(`${name} (${ENV[name] || 'option'}) must be an integer >= ${min}, got '${value}'`);
    }
    return n;
  };
  const topic = pick('topic', null);
  if (!topic) {
    throw new RangeError(`topic is required (option topic or ${ENV.topic})`);
  }
  const createTopic = options.createTopic
    ? { partitions: integer('partitions', 4, 1), replicationFactor: integer('replicationFactor', 1, 1) }
    : null;
  // The PORTICO_KAFKA_* security and pass-through variables as kafkajs options (holds secrets:
  // never logged); the kafka option adds to them and wins.
  const security = kafkaEnv.read(env);
  return {
    bootstrapServers: String(pick('bootstrapServers', security.fileBootstrap || 'localhost:9092')).split(',').map((s) => s.trim()),
    topic,
    groupId: pick('groupId', topic),
    instanceId: pick('instanceId', `${os.hostname()}-${crypto.randomUUID().slice(0, 8)}`),
    metricsPort: integer('metricsPort', null, 0),
    metricsHost: pick('metricsHost', '0.0.0.0'),
    sessionTimeoutMs: integer('sessionTimeoutMs', 30000, 1),
    maxTransactionMs: options.maxTransactionMs ?? 100,
    maxRecordBytes: options.maxRecordBytes ?? 1024 * 1024,
    concurrency: options.concurrency ?? 1,
    createTopic,
    kafka: { ...security.options, ...(options.kafka || {}) },
    security,
    log: options.log || console,
  };
}

module.exports = { settings, ENV };
