"""The consume-transform-produce loop on confluent-kafka (librdkafka), exactly once.

Per transaction: the handler's records and the replies of a run of requests, and the consumer
offsets past them, commit together (KIP-447: the offsets carry the consumer group's generation, so
an instance that lost its partitions cannot commit for them). On an abortable Kafka error the
transaction is aborted and every partition of the batch is rewound to its first uncommitted
request: nothing lost, nothing visible twice. A fatal error (fenced by a newer instance with the
same transactional id) stops the function: a supervisor restarts it.
"""

import logging
import signal
import sys
import threading
import time
from typing import Callable, Dict, Tuple

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition, libversion
from confluent_kafka.admin import AdminClient, NewTopic

from . import kafka_env, protocol
from .metrics import Counters, serve_metrics
from .settings import Settings, read

LOG = logging.getLogger("portico_function")
FIRST_BACKOFF_S = 0.1
MAX_BACKOFF_S = 5.0


class PorticoFunction:
    def __init__(self, handler: Callable, **options):
        if not callable(handler):
            raise TypeError("handler must be callable")
        self.handler = handler
        self.settings: Settings = read(options)
        self.counters = Counters()
        self.metrics_server = None
        self._stopping = threading.Event()
        self._backoff = 0.0
        self._partition_counts: Dict[str, Tuple[int, float]] = {}

    def stop(self):
        """Stops after the current transaction commits; safe from any thread or signal handler."""
        self._stopping.set()

    def run(self):
        """Serves until stop() (SIGTERM and SIGINT call it when run on the main thread)."""
        s = self.settings
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: self.stop())
        self._check_kafka_access()
        if s.create_topic:
            self._create_topic_if_missing()
        if s.metrics_port is not None:
            self.metrics_server = serve_metrics(self.counters, s.topic, s.metrics_port, s.metrics_host)
            LOG.info("Metrics on http://%s:%d/metrics", s.metrics_host, self.metrics_server.server_port)
        common = {"bootstrap.servers": s.bootstrap_servers, **s.kafka}
        self.consumer = Consumer({
            **common,
            "client.id": f"{s.transactional_id}-consumer",
            # A new group starts at the beginning: requests sent before the first start are still
            # served (stale ones are skipped cheaply by their deadline).
            "auto.offset.reset": "earliest",
            "session.timeout.ms": s.session_timeout_ms,
            "group.id": s.group_id,
            "enable.auto.commit": False,  # offsets commit inside each transaction
            "isolation.level": "read_committed",  # never act on aborted requests
        })
        self.producer = Producer({
            **common,
            "client.id": f"{s.transactional_id}-producer",
            "linger.ms": 0,  # a reply waits for the commit anyway
            "transactional.id": s.transactional_id,
            "enable.idempotence": True,
            "acks": "all",
        })
        try:
            self._init_transactions()
            self.consumer.subscribe([s.topic], on_assign=self._assigned)
            while not self._stopping.is_set():
                # consume() would wait out its whole timeout to fill a batch: wait for one
                # request only, then take whatever else has already arrived.
                first = self.consumer.poll(0.1)
                if first is None:
                    continue
                batch = [m for m in [first] + self.consumer.consume(num_messages=499, timeout=0)
                         if self._readable(m)]
                if batch:
                    self._process(batch)
        finally:
            # The producer first: its open transaction (if any) is aborted before the consumer
            # leaves the group and another instance takes the partitions over.
            self.producer.flush(10)
            self.consumer.close()
            if self.metrics_server is not None:
                self.metrics_server.shutdown()

    def _assigned(self, consumer, partitions):
        LOG.info("Function %s serves %s partitions %s", self.settings.group_id, self.settings.topic,
                 sorted(p.partition for p in partitions))

    @staticmethod
    def _readable(message) -> bool:
        if message.error() is None:
            return True
        LOG.warning("Consumer error: %s", message.error())
        return False

    def _init_transactions(self):
        # Also fences a previous incarnation of this instance and aborts its open transaction.
        while not self._stopping.is_set():
            try:
                self.producer.init_transactions(30)
                return
            except KafkaException as e:
                if not e.args[0].retriable():
                    raise
                LOG.warning("Kafka did not answer init_transactions in time; retrying")

    def _process(self, batch):
        # Where each partition resumes if a transaction fails: its first request not yet
        # committed (the batch's first offsets equal the group's committed offsets).
        resume_at = {}
        for m in batch:
            resume_at.setdefault((m.topic(), m.partition()), m.offset())
        pending = 0
        # Stopping waits for the current transaction only: the rest of the batch is not committed,
        # so whoever takes the partitions over serves it.
        while pending < len(batch) and not self._stopping.is_set():
            tally, offsets = Counters(), {}
            try:
                pending = self._transaction(batch, pending, tally, offsets)
            except KafkaException as e:
                self._abort_and_rewind(e, resume_at)
                return
            resume_at.update(offsets)
            self.counters.add(tally)
            self._backoff = 0.0

    def _transaction(self, batch, start, tally, offsets) -> int:
        """One transaction over the next requests, until the batch ends or it has been open for
        max_transaction_ms: a reply is visible only once committed. Returns the next index."""
        self.producer.begin_transaction()
        commit_by = time.monotonic() + self.settings.max_transaction_ms / 1000
        index = start
        while True:
            m = batch[index]
            index += 1
            result = protocol.process_request(protocol.Message.of(m), self.handler,
                                              time.time() * 1000, self.settings.max_record_bytes)
            for record in result.records:
                self._send(record)
            tally.count(result)
            offsets[(m.topic(), m.partition())] = m.offset() + 1
            if index >= len(batch) or time.monotonic() >= commit_by:
                break
        self.producer.send_offsets_to_transaction(
            [TopicPartition(t, p, o) for (t, p), o in offsets.items()],
            self.consumer.consumer_group_metadata())
        self._commit()
        return index

    def _send(self, record: protocol.Record):
        if record.partition is not None and record.partition >= self._partition_count(record.topic):
            # It would fail the transaction on every retry: drop it instead.
            LOG.warning("Dropping a record for %s partition %d: the topic lacks it",
                        record.topic, record.partition)
            return
        kwargs = {"key": record.key, "value": record.value, "headers": record.headers,
                  "on_delivery": _log_failed_delivery}
        if record.partition is not None:
            kwargs["partition"] = record.partition
        self.producer.produce(record.topic, **kwargs)

    def _partition_count(self, topic: str) -> int:
        known = self._partition_counts.get(topic)
        if known is not None and time.monotonic() - known[1] < 10:
            return known[0]
        metadata = self.producer.list_topics(topic, timeout=10).topics.get(topic)
        count = 0 if metadata is None or metadata.error is not None else len(metadata.partitions)
        self._partition_counts[topic] = (count, time.monotonic())
        return count

    def _commit(self):
        while True:
            try:
                self.producer.commit_transaction(30)
                return
            except KafkaException as e:
                # The commit may still complete: Kafka allows only retrying it now.
                if not e.args[0].retriable() or self._stopping.is_set():
                    raise
                LOG.warning("Kafka did not confirm the commit in time; retrying it")

    def _abort_and_rewind(self, failure: KafkaException, resume_at):
        error: KafkaError = failure.args[0]
        if error.fatal() or not error.txn_requires_abort():
            raise failure  # fenced or unauthorized: this producer can do nothing more
        self.producer.abort_transaction(30)
        self.counters.count_abort()
        for (topic, partition), offset in resume_at.items():
            try:
                self.consumer.seek(TopicPartition(topic, partition, offset))
            except KafkaException as e:  # no longer ours: its new owner starts from the commit
                LOG.info("Not rewinding %s-%d: %s", topic, partition, e)
        self._backoff = FIRST_BACKOFF_S if not self._backoff else min(MAX_BACKOFF_S, self._backoff * 2)
        LOG.error("Transaction aborted on a Kafka error; retrying from %s in %.1f s: %s",
                  resume_at, self._backoff, error)
        self._stopping.wait(self._backoff)

    def _check_kafka_access(self, timeout_s: float = 15.0):
        """The first contact with Kafka, bounded in time. librdkafka retries a refused login or TLS
        handshake without end, so its errors are watched while asking for the cluster's metadata:
        a refusal raises KafkaSettingError naming the settings to fix. Kafka that does not answer
        is no settings problem: the function goes on and waits for it."""
        s = self.settings
        errors = []
        try:
            admin = AdminClient({"bootstrap.servers": s.bootstrap_servers, **s.kafka,
                                 "error_cb": lambda e: errors.append((e.name(), e.str()))})
        except KafkaException as e:  # librdkafka refused a setting (a wrong key store password...)
            raise kafka_env.KafkaSettingError(
                f"Cannot create a Kafka client with these settings {s.kafka_security}: "
                f"{e.args[0].str()}") from None
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                admin.list_topics(timeout=1)
                return
            except KafkaException as e:
                errors.append((e.args[0].name(), e.args[0].str()))
            admin.poll(0)  # serves error_cb
            refusal = kafka_env.first_refusal(errors, s.kafka_security, libversion()[1])
            if refusal is not None:
                raise kafka_env.KafkaSettingError(refusal)
            if time.monotonic() >= deadline or self._stopping.is_set():
                LOG.warning("Kafka at %s did not answer within %.0f s; going on", s.bootstrap_servers,
                            timeout_s)
                return

    def _create_topic_if_missing(self):
        s = self.settings
        partitions, replication = s.create_topic
        admin = AdminClient({"bootstrap.servers": s.bootstrap_servers, **s.kafka})
        future = admin.create_topics([NewTopic(s.topic, partitions, replication)])[s.topic]
        try:
            future.result(30)
            LOG.info("Created topic %s (%d partitions)", s.topic, partitions)
        except KafkaException as e:
            if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                # Not fatal: the consumer waits for the topic, and an operator may create it later.
                LOG.warning("Could not create topic %s: %s", s.topic, e)


def _log_failed_delivery(error, message):
    if error is not None and error.code() != KafkaError._PURGE_QUEUE:
        LOG.warning("Sending a record to %s failed: %s", message.topic(), error)


def serve(handler: Callable, **options):
    """Serves ``handler`` until SIGTERM or SIGINT, which let the current transaction commit."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        PorticoFunction(handler, **options).run()
    except kafka_env.KafkaSettingError as e:
        # A setting that cannot work (or that Kafka refused): exit 2, as Portico's services do.
        LOG.error("%s", e)
        sys.exit(2)
