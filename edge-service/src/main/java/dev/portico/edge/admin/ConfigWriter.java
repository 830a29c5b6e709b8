package dev.portico.edge.admin;

import dev.portico.contracts.edge.GatewayEntity;
import dev.portico.edge.config.ConfigTopic;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Writes one change to the config topic and waits until this replica applied it; 503 if not. */
final class ConfigWriter {
  private final ConfigTopic topic;

  ConfigWriter(ConfigTopic topic) {
    this.topic = topic;
  }

  void write(String key, GatewayEntity value) {
    try {
      topic.write(key, value).get(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminException(503, "Interrupted while writing the configuration");
    } catch (ExecutionException | TimeoutException e) {
      throw new AdminException(
          503, "The configuration topic is unavailable: " + String.valueOf(e.getMessage()));
    }
  }
}
