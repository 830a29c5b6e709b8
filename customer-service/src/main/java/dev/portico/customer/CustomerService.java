package dev.portico.customer;

import dev.portico.contracts.Topics;
import dev.portico.customer.dynamo.DynamoCommands;
import dev.portico.customer.state.ChangelogRestorer;
import dev.portico.customer.state.LegacyImport;
import dev.portico.customer.state.Rocks;
import dev.portico.customer.state.TableState;
import dev.portico.kit.ClientSettings;
import dev.portico.kit.CompactedView;
import dev.portico.kit.TransactionalLoop;
import dev.portico.runtime.InstanceId;
import dev.portico.runtime.ServiceBase;
import dev.portico.runtime.TopicProvisioner;
import dev.portico.table.catalog.TableDefinition;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs the table service: one exactly-once loop ({@link TransactionalLoop}) over the commands
 * topic, with each owned partition's state in RocksDB, restored from the {@code tables.state}
 * changelog. Replicas with the same application id share the commands topic's partitions; state
 * moves with them.
 */
public final class CustomerService extends ServiceBase {
  private final CustomerConfig config;
  private Rocks rocks;
  private TableState state;
  private ChangelogRestorer restorer;
  private CompactedView<TableDefinition> catalog;
  private volatile TransactionalLoop loop;
  private KafkaClientMetrics consumerMetrics;
  private KafkaClientMetrics producerMetrics;

  public CustomerService(Vertx vertx, CustomerConfig config) {
    super("customer-service", vertx, config.kafka(), config.ops());
    this.config = config;
  }

  @Override
  protected Future<Void> startService() {
    return vertx.executeBlocking(
        () -> {
          String commands = kafka.topic(Topics.CUSTOMER_COMMANDS);
          TopicProvisioner.ensure(
              kafka,
              List.of(
                  Topics.CUSTOMER_COMMANDS,
                  Topics.CUSTOMER_CHANGES,
                  Topics.TABLE_CHANGES,
                  Topics.EDGE_REPLIES,
                  Topics.TABLE_STATE,
                  Topics.TABLES_CATALOG));
          TopicProvisioner.setRetention(kafka, Topics.CUSTOMER_CHANGES, config.streamRetention());
          TopicProvisioner.setRetention(kafka, Topics.TABLE_CHANGES, config.streamRetention());
          int partitions = TopicProvisioner.partitionCount(kafka, Topics.CUSTOMER_COMMANDS);
          int statePartitions = TopicProvisioner.partitionCount(kafka, Topics.TABLE_STATE);
          // A team table's change goes to the changes partition with its command's number.
          int changesPartitions = TopicProvisioner.partitionCount(kafka, Topics.TABLE_CHANGES);
          if (changesPartitions != partitions) {
            throw new IllegalStateException(
                kafka.topic(Topics.TABLE_CHANGES) + " must have as many partitions as " + commands);
          }
          if (partitions != statePartitions) {
            throw new IllegalStateException(
                kafka.topic(Topics.TABLE_STATE)
                    + " has "
                    + statePartitions
                    + " partitions but "
                    + commands
                    + " has "
                    + partitions
                    + ": partition n of the changelog holds the state of commands partition n");
          }
          String group = kafka.topicPrefix() + config.applicationId();
          String instance = InstanceId.resolve(config.instanceId(), config.stateDir());
          KafkaConsumer<String, byte[]> consumer =
              new KafkaConsumer<>(
                  consumerProperties(group, instance),
                  new StringDeserializer(),
                  new ByteArrayDeserializer());
          Map<String, Object> producerSettings = producerProperties(group + "-" + instance);
          Supplier<KafkaProducer<String, byte[]>> newProducer =
              () ->
                  new KafkaProducer<>(
                      producerSettings, new StringSerializer(), new ByteArraySerializer());
          KafkaProducer<String, byte[]> producer = newProducer.get();
          restorer =
              new ChangelogRestorer(
                  new KafkaConsumer<>(
                      restoreProperties(), new StringDeserializer(), new ByteArrayDeserializer()));
          rocks = new Rocks(config.stateMemoryMb() * 1024L * 1024L);
          state =
              new TableState(
                  commands,
                  kafka.topic(Topics.TABLE_STATE),
                  config.stateDir().resolve("tables"),
                  rocks,
                  restorer,
                  new LegacyImport(
                      restorer.consumer(),
                      () -> loop == null ? producer : loop.producer(),
                      kafka.topic(Topics.TABLE_STATE),
                      group,
                      CommandProcessor.TABLE));
          catalog =
              new CompactedView<>(
                  kafka.topic(Topics.TABLES_CATALOG),
                  new KafkaConsumer<>(
                      ClientSettings.committedReader(
                          kafka.clientProperties("portico-customer-service-catalog")),
                      new StringDeserializer(),
                      new ByteArrayDeserializer()),
                  TableDefinition::fromJson);
          CommandProcessor processor =
              new CommandProcessor(
                  new ItemTable(config.ttlAttribute(), config.streamViewType()),
                  new DynamoCommands(
                      catalog,
                      kafka.topic(Topics.TABLES_CATALOG),
                      commands,
                      partitions,
                      kafka.topic(Topics.TABLE_CHANGES)),
                  state,
                  commands,
                  kafka.topic(Topics.CUSTOMER_CHANGES),
                  partitions);
          loop =
              TransactionalLoop.builder("customer-service", consumer, producer)
                  .topics(List.of(commands))
                  .processor(processor)
                  .state(state)
                  .every(config.ttlSweepInterval(), processor::sweepExpired)
                  .every(Duration.ofMinutes(10), processor::forgetReceipts)
                  .minCommitInterval(config.commitInterval())
                  // A broker fail-over can outlast the transaction timeout: the coordinator then
                  // aborts the open transaction and the loop goes on with a new producer.
                  .renewProducerWith(newProducer::get)
                  .build();
          bindMetrics(consumer, producer);
          loop.start();
          return null;
        });
  }

  private Map<String, Object> consumerProperties(String group, String instance) {
    Map<String, Object> p =
        ClientSettings.transactionalConsumer(
            kafka.clientProperties("portico-customer-service"), group);
    // Static membership: restarted on the same state, this replica gets its partitions back at
    // once instead of after the session timeout.
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
    // A new table service starts with the oldest command still kept.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    long session = config.sessionTimeout().toMillis();
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) session);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) (session / 3));
    // Restoring a partition runs inside the rebalance: give a large table time for it.
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(10).toMillis());
    return p;
  }

  private Map<String, Object> producerProperties(String transactionalId) {
    Map<String, Object> p =
        ClientSettings.transactionalProducer(
            kafka.clientProperties("portico-customer-service-producer"), transactionalId);
    // A replica that died mid-transaction blocks its partitions' readers until this passes (or
    // until it restarts with the same instance id, which aborts the transaction at once).
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    return p;
  }

  private Map<String, Object> restoreProperties() {
    Map<String, Object> p =
        ClientSettings.committedReader(kafka.clientProperties("portico-customer-service-restore"));
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    return p;
  }

  private void bindMetrics(
      KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer) {
    consumerMetrics = new KafkaClientMetrics(consumer);
    consumerMetrics.bindTo(registry);
    producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(registry);
    FunctionCounter.builder("portico.customer.transactions", loop, l -> l.stats().transactions())
        .description("Transactions committed (each carries a batch of commands)")
        .register(registry);
    FunctionCounter.builder("portico.customer.commands", loop, l -> l.stats().records())
        .description("Commands processed")
        .register(registry);
    FunctionTimer.builder(
            "portico.customer.commit",
            loop,
            l -> l.stats().transactions(),
            l -> l.stats().commitNanos(),
            TimeUnit.NANOSECONDS)
        .description(
            "Transaction commits: flushing a batch's records, adding its offsets, committing")
        .register(registry);
    FunctionCounter.builder("portico.customer.aborts", loop, l -> l.stats().aborts())
        .description("Transactions aborted on a Kafka error (their commands are processed again)")
        .register(registry);
  }

  @Override
  protected boolean serviceReady() {
    return loop != null && loop.assigned();
  }

  @Override
  protected Optional<String> serviceFailure() {
    if (loop == null) {
      return Optional.empty();
    }
    return stopped("the command loop", loop.failure())
        .or(() -> stopped("the table catalog's follower", catalog.failure()));
  }

  @Override
  protected Future<Void> stopService() {
    // The loop first: it finishes the transaction in hand, closes its clients and leaves the
    // group, so the partitions move to other replicas now instead of after the session timeout.
    return closeInOrder(loop, state, restorer, rocks, catalog, consumerMetrics, producerMetrics);
  }
}
