package dev.portico.function;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the function's topic when it is missing, for brokers that do not auto-create topics
 * (Portico's embedded broker does not). Failing to create it is only a warning: the consumer waits
 * for the topic, and an operator may create it later.
 */
final class TopicCreator {
  private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

  private TopicCreator() {}

  static void createIfMissing(FunctionSettings settings) {
    FunctionSettings.NewTopicSpec spec = settings.createTopic();
    try (Admin admin = Admin.create(settings.adminProperties())) {
      admin
          .createTopics(
              List.of(new NewTopic(settings.topic(), spec.partitions(), spec.replicationFactor())))
          .all()
          .get(30, TimeUnit.SECONDS);
      LOG.info(
          "Created topic {} ({} partitions, replication {})",
          settings.topic(),
          spec.partitions(),
          spec.replicationFactor());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        LOG.warn("Could not create topic {}: {}", settings.topic(), e.getCause().toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      LOG.warn("Could not create topic {}: {}", settings.topic(), e.toString());
    }
  }
}
