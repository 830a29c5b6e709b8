package dev.portico.launcher;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and initialises the services' heaviest classes on a background thread while the broker
 * child boots. The launcher has nothing else to do for those seconds, and loading these classes
 * (Kafka's client and Streams configuration tables, RocksDB's native library, Jackson, Netty) is
 * otherwise done one after another once the broker is ready, on the path to the first answered
 * write. Best effort: a class that fails here is loaded again, and fails properly, where it is
 * used.
 */
final class ClassPreloader {
  private static final Logger LOG = LoggerFactory.getLogger(ClassPreloader.class);

  static final List<String> CLASSES =
      List.of(
          "org.apache.kafka.clients.admin.AdminClientConfig",
          "org.apache.kafka.clients.admin.KafkaAdminClient",
          "org.apache.kafka.clients.producer.ProducerConfig",
          "org.apache.kafka.clients.producer.KafkaProducer",
          "org.apache.kafka.clients.consumer.ConsumerConfig",
          "org.apache.kafka.clients.consumer.KafkaConsumer",
          "org.apache.kafka.common.requests.AbstractRequest",
          "org.apache.kafka.common.requests.AbstractResponse",
          "org.apache.kafka.common.message.FetchResponseData",
          "org.apache.kafka.common.message.ProduceRequestData",
          "org.apache.kafka.streams.StreamsConfig",
          "org.apache.kafka.streams.KafkaStreams",
          "org.apache.kafka.streams.processor.internals.StreamThread",
          "com.fasterxml.jackson.databind.ObjectMapper",
          "dev.portico.contracts.Json",
          "dev.portico.contracts.Topics",
          "io.vertx.core.http.impl.Http1xServerConnection",
          "io.netty.handler.codec.http.HttpServerCodec",
          "io.micrometer.prometheusmetrics.PrometheusMeterRegistry");

  private ClassPreloader() {}

  static void startInBackground() {
    Thread thread = new Thread(ClassPreloader::preload, "portico-preload");
    thread.setDaemon(true);
    thread.start();
  }

  private static void preload() {
    long start = System.nanoTime();
    ClassLoader loader = ClassPreloader.class.getClassLoader();
    for (String name : CLASSES) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) { // best effort: see the class comment
        LOG.debug("Not preloaded: {} ({})", name, e.toString());
      }
    }
    try {
      org.rocksdb.RocksDB.loadLibrary();
    } catch (RuntimeException | LinkageError e) { // best effort: see the class comment
      LOG.debug("RocksDB not preloaded ({})", e.toString());
    }
    LOG.debug("Preloaded in {} ms", (System.nanoTime() - start) / 1_000_000);
  }
}
