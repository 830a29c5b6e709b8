package dev.portico.edge.websocket;

import dev.portico.contracts.ConnectionCommand;
import dev.portico.contracts.ReplyAddress;
import dev.portico.contracts.Topics;
import dev.portico.edge.integration.KafkaFunctionClient;
import io.vertx.core.Context;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the {@code ws.commands} records addressed to this replica's connections (the others
 * are ignored: another replica holds them) and, when the record has a reply address, answers on it.
 */
final class ConnectionCommands {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCommands.class);
  private final Connections connections;
  private final KafkaFunctionClient functions;
  private final Context context;

  ConnectionCommands(Connections connections, KafkaFunctionClient functions, Context context) {
    this.connections = connections;
    this.functions = functions;
    this.context = context;
  }

  void accept(ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      ConnectionCommand command;
      Optional<ReplyAddress> reply;
      try {
        command = Topics.WS_COMMANDS.decode(record.key(), record.value());
        reply = ReplyAddress.from(record.headers());
      } catch (RuntimeException e) {
        LOG.warn("Unreadable connection command at offset {}: {}", record.offset(), e.getMessage());
        continue;
      }
      if (command == null
          || command.connectionId() == null
          || !connections.holds(command.connectionId())) {
        continue;
      }
      context.runOnContext(
          v ->
              connections
                  .local(command)
                  .onSuccess(answer -> reply.ifPresent(a -> functions.reply(a, answer))));
    }
  }
}
