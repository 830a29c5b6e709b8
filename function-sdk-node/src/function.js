'use strict';
/**
 * The consume-transform-produce loop on kafkajs, exactly once.
 *
 * kafkajs commits offsets in a transaction without the consumer group's generation (it predates
 * KIP-447), so a producer per instance could not fence an instance that lost its partitions but
 * is still working (a zombie). Hence, as Kafka Streams did before KIP-447: one transactional
 * producer per input partition, `transactional.id` = `<group>-<topic>-<partition>`. Whoever works
 * on a partition holds its id; the next owner's `initTransactions` fences the previous one and
 * ends its open transaction (aborting it, or finishing a commit whose answer was lost).
 *
 * Per transaction, on one partition: the handler's records and the replies of a run of requests,
 * and the offset past them, commit together. On any Kafka error the producer is dropped and the
 * partition is served again from its committed offset by a new producer: nothing lost, nothing
 * visible twice.
 */
const { Kafka, logLevel, Partitioners } = require('kafkajs');
const { processRequest } = require('./protocol');
const { Counters, serveMetrics } = require('./metrics');
const { settings: readSettings } = require('./settings');
const { explain, KafkaSettingError } = require('./kafka-env');

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class PorticoFunction {
  constructor(handler, options = {}) {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    this.handler = handler;
    this.settings = readSettings(options);
    this.counters = new Counters();
    this.producers = new Map(); // partition -> connected transactional producer
    this.partitionCounts = new Map(); // reply topic -> {count, at}
    this.backoffMs = 0;
    this.stopping = false;
    const s = this.settings;
    this.log = s.log;
    this.kafka = new Kafka({
      clientId: `${s.groupId}-${s.instanceId}`,
      brokers: s.bootstrapServers,
      logLevel: logLevel.WARN,
      ...s.kafka,
    });
  }

  /** Connects, joins the group and serves until stop(); resolves once serving. */
  async start() {
    const s = this.settings;
    await this.checkKafkaAccess();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    if (s.createTopic) {
      await this.createTopicIfMissing();
    }
    if (s.metricsPort !== null) {
      this.metricsServer = await serveMetrics(this.counters, s.topic, s.metricsPort, s.metricsHost);
      this.log.info(`Metrics on http://${s.metricsHost}:${this.metricsServer.address().port}/metrics`);
    }
    this.consumer = this.kafka.consumer({
      groupId: s.groupId,
      sessionTimeout: s.sessionTimeoutMs,
      heartbeatInterval: Math.max(100, Math.min(3000, Math.floor(s.sessionTimeoutMs / 3))),
      readUncommitted: false, // never act on requests that another transaction aborted
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.joined(payload));
    await this.consumer.connect();
    // A new group starts at the beginning: requests sent before the first start are still served
    // (stale ones are skipped cheaply by their deadline).
    await this.consumer.subscribe({ topic: s.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false, // offsets commit inside each transaction
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: s.concurrency,
      eachBatch: (payload) => this.batch(payload),
    });
    return this;
  }

  /**
   * The first contact with Kafka, bounded in time: kafkajs retries a refused certificate (and the
   * consumer a refused login) for a long while, so a client without retries asks for the cluster
   * until Kafka answers, refuses the settings (KafkaSettingError naming them) or the time is up
   * (no settings problem: the clients go on and wait for Kafka).
   */
  async checkKafkaAccess(timeoutMs = 15000) {
    const s = this.settings;
    const probe = new Kafka({
      clientId: `${s.groupId}-${s.instanceId}-check`,
      brokers: s.bootstrapServers,
      logLevel: logLevel.NOTHING,
      ...s.kafka,
      connectionTimeout: Math.min(s.kafka.connectionTimeout || 3000, 3000),
      retry: { retries: 0 },
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const admin = probe.admin();
      try {
        await admin.connect();
        await admin.describeCluster();
        return;
      } catch (e) {
        const refusal = explain(e, s.security);
        if (refusal !== null) throw new KafkaSettingError(refusal);
        if (Date.now() >= deadline || this.stopping) {
          this.log.warn(`Kafka at ${s.bootstrapServers} did not answer within ${timeoutMs / 1000} s; going on: ${e.message}`);
          return;
        }
      } finally {
        await admin.disconnect().catch(() => {});
      }
      await sleep(500);
    }
  }

  /** Stops taking requests, lets the current transactions finish, closes every client. */
  async stop() {
    this.stopping = true;
    if (this.consumer) await this.consumer.disconnect().catch(() => {});
    await Promise.all([...this.producers.keys()].map((p) => this.dropProducer(p)));
    if (this.admin) await this.admin.disconnect().catch(() => {});
    if (this.metricsServer) await new Promise((resolve) => this.metricsServer.close(resolve));
  }

  /** Keeps the producers of partitions still ours; the others may belong to another instance now. */
  joined(payload) {
    const mine = (payload.memberAssignment && payload.memberAssignment[this.settings.topic]) || [];
    this.log.info(`Function ${this.settings.groupId} serves ${this.settings.topic} partitions [${mine}]`);
    for (const partition of [...this.producers.keys()]) {
      if (!mine.includes(partition)) this.dropProducer(partition);
    }
  }

  async batch({ batch, resolveOffset, heartbeat, isRunning, isStale }) {
    const { topic, partition, messages } = batch;
    if (messages.length === 0) return;
    if (!this.producers.has(partition)) {
      // A new producer ends whatever the previous holder of this partition left open; the group's
      // committed offset then tells where to resume, which may be past this batch.
      let committed;
      try {
        await this.producerFor(partition);
        committed = await this.committedOffset(topic, partition);
      } catch (e) {
        await this.recover(partition, e, heartbeat);
        return;
      }
      if (committed !== null && BigInt(committed) > BigInt(messages[0].offset)) {
        this.consumer.seek({ topic, partition, offset: committed });
        return;
      }
    }
    let next = 0;
    while (next < messages.length && isRunning() && !isStale() && !this.stopping) {
      const tally = new Counters();
      const records = [];
      const openedAt = Date.now();
      let last;
      // Commit after maxTransactionMs even mid-batch: a reply is visible only once committed.
      do {
        last = messages[next++];
        const result = await processRequest({ ...last, topic, partition }, this.handler, {
          log: this.log,
          maxRecordBytes: this.settings.maxRecordBytes,
        });
        records.push(...result.records);
        tally.count(result);
      } while (next < messages.length && Date.now() - openedAt < this.settings.maxTransactionMs);
      try {
        await this.commit(topic, partition, records, (BigInt(last.offset) + 1n).toString());
      } catch (e) {
        await this.recover(partition, e, heartbeat);
        return;
      }
      resolveOffset(last.offset);
      this.counters.add(tally);
      this.backoffMs = 0;
      await heartbeat();
    }
  }

  async commit(topic, partition, records, nextOffset) {
    const producer = await this.producerFor(partition);
    const deliverable = await this.deliverable(records);
    const transaction = await producer.transaction();
    if (deliverable.length > 0) {
      await transaction.sendBatch({ topicMessages: byTopic(deliverable), acks: -1 });
    }
    await transaction.sendOffsets({
      consumerGroupId: this.settings.groupId,
      topics: [{ topic, partitions: [{ partition, offset: nextOffset }] }],
    });
    await transaction.commit();
  }

  /**
   * The transaction failed: its records are invisible to read_committed readers, its offset did
   * not move. Drop the producer (the next batch's new producer fences it and resumes from the
   * committed offset) and back off.
   */
  async recover(partition, error, heartbeat) {
    this.counters.abortedTransactions += 1;
    this.backoffMs = this.backoffMs === 0 ? FIRST_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    this.log.error(
      `Transaction on ${this.settings.topic}-${partition} failed; serving the partition again from its ` +
        `committed offset in ${this.backoffMs} ms:`,
      error,
    );
    await this.dropProducer(partition);
    await sleep(this.backoffMs);
    await heartbeat(); // surfaces a rebalance: a fenced zombie then learns it lost the partition
  }

  async producerFor(partition) {
    let producer = this.producers.get(partition);
    if (producer === undefined) {
      const s = this.settings;
      producer = this.kafka.producer({
        transactionalId: `${s.groupId}-${s.topic}-${partition}`,
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      this.producers.set(partition, producer);
      try {
        await producer.connect(); // initTransactions: fences the partition's previous producer
      } catch (e) {
        this.producers.delete(partition);
        throw e;
      }
    }
    return producer;
  }

  async dropProducer(partition) {
    const producer = this.producers.get(partition);
    this.producers.delete(partition);
    if (producer !== undefined) await producer.disconnect().catch(() => {});
  }

  async committedOffset(topic, partition) {
    const [offsets] = await this.admin.fetchOffsets({ groupId: this.settings.groupId, topics: [topic] });
    const entry = offsets.partitions.find((p) => p.partition === partition);
    return entry && Number(entry.offset) >= 0 ? entry.offset : null;
  }

  /**
   * Records minus those for a partition their topic lacks: sending one would fail the
   * transaction on every retry (a bad reply partition header, say), so it is dropped instead.
   */
  async deliverable(records) {
    const out = [];
    for (const record of records) {
      if (record.partition !== undefined && record.partition >= (await this.partitionCount(record.topic, record.partition))) {
        this.log.warn(`Dropping a record for ${record.topic} partition ${record.partition}: the topic lacks it`);
      } else {
        out.push(record);
      }
    }
    return out;
  }

  async partitionCount(topic, wanted) {
    const known = this.partitionCounts.get(topic);
    if (known && (wanted < known.count || Date.now() - known.at < 10000)) return known.count;
    const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const count = topics[0].partitions.length;
    this.partitionCounts.set(topic, { count, at: Date.now() });
    return count;
  }

  async createTopicIfMissing() {
    const { topic, createTopic } = this.settings;
    try {
      if ((await this.admin.listTopics()).includes(topic)) return;
      const created = await this.admin.createTopics({
        topics: [{ topic, numPartitions: createTopic.partitions, replicationFactor: createTopic.replicationFactor }],
      });
      if (created) this.log.info(`Created topic ${topic} (${createTopic.partitions} partitions)`);
    } catch (e) {
      // Not fatal: the consumer waits for the topic, and an operator may create it later.
      this.log.warn(`Could not create topic ${topic}: ${e.message}`);
    }
  }
}

function byTopic(records) {
  const topics = new Map();
  for (const { topic, partition, key, value, headers } of records) {
    if (!topics.has(topic)) topics.set(topic, []);
    topics.get(topic).push({ partition, key, value, headers });
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * Serves `handler` until SIGTERM or SIGINT, which let the current transactions commit first.
 * Resolves to the running function once it serves.
 */
async function serve(handler, options = {}) {
  let fn;
  const refused = (e) => {
    if (!(e instanceof KafkaSettingError)) throw e;
    // A setting that cannot work (or that Kafka refused): exit 2, as Portico's services do.
    (options.log || console).error(e.message);
    process.exit(2);
  };
  try {
    fn = new PorticoFunction(handler, options);
  } catch (e) {
    refused(e);
  }
  const shutdown = () => {
    fn.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  await fn.start().catch(refused);
  fn.consumer.on(fn.consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) {
      fn.log.error('The consumer stopped for good:', payload.error);
      fn.stop().finally(() => process.exit(1));
    }
  });
  return fn;
}

module.exports = { PorticoFunction, serve };
