package dev.portico.customer;

import dev.portico.contracts.Topics;
import dev.portico.runtime.ServiceBase;
import dev.portico.runtime.TopicProvisioner;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs the customers table as a Kafka Streams application with exactly-once processing. Replicas
 * with the same application id share the commands topic's partitions; state moves with them and is
 * restored from the changelog.
 */
public final class CustomerService extends ServiceBase {
  private final CustomerConfig config;
  private KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;

  public CustomerService(Vertx vertx, CustomerConfig config) {
    super("customer-service", vertx, config.kafka(), config.ops());
    this.config = config;
  }

  @Override
  protected Future<Void> startService() {
    return vertx.executeBlocking(
        () -> {
          TopicProvisioner.ensure(
              kafka,
              List.of(Topics.CUSTOMER_COMMANDS, Topics.CUSTOMER_CHANGES, Topics.EDGE_REPLIES));
          TopicProvisioner.setRetention(kafka, Topics.CUSTOMER_CHANGES, config.streamRetention());
          streams =
              new KafkaStreams(
                  CustomerTopology.build(
                      kafka.topic(Topics.CUSTOMER_COMMANDS),
                      kafka.topic(Topics.CUSTOMER_CHANGES),
                      config.ttlAttribute(),
                      config.streamViewType(),
                      config.ttlSweepInterval(),
                      TopicProvisioner.partitionCount(kafka, Topics.CUSTOMER_COMMANDS)),
                  streamsProperties());
          streams.setStateListener(
              (now, before) -> log.info("customers table: {} -> {}", before, now));
          streamsMetrics = new KafkaStreamsMetrics(streams);
          streamsMetrics.bindTo(registry);
          streams.start();
          return null;
        });
  }

  Properties streamsProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, kafka.topicPrefix() + config.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // A reply is visible to the edge's read_committed consumer only when its transaction commits.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
    // Polling longer than the commit interval would hold the last records of a burst.
    p.put(StreamsConfig.POLL_MS_CONFIG, config.commitInterval().toMillis());
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replication());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    // A replica that dies without leaving is noticed after the session timeout.
    long session = config.sessionTimeout().toMillis();
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) session);
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        (int) (session / 3));
    return p;
  }

  @Override
  protected boolean serviceReady() {
    return streams != null && streams.state() == KafkaStreams.State.RUNNING;
  }

  @Override
  protected Future<Void> stopService() {
    return vertx.executeBlocking(
        () -> {
          if (streams != null) {
            // Finishes the records in hand, commits the transaction, flushes state. Leaving the
            // group hands the partitions to other replicas now instead of after the session
            // timeout.
            streams.close(
                CloseOptions.groupMembershipOperation(
                        CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            streamsMetrics.close();
          }
          return null;
        });
  }
}
