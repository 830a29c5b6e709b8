package dev.portico.edge.admin;

import static dev.portico.edge.admin.AdminRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portico.contracts.ConnectionCommand;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionHandlersTest {
  @Test
  void shouldSendTheBodyAsTextUnlessItIsOctetStream() {
    ConnectionCommand text =
        ConnectionHandlers.send(
            request(
                Map.of("connectionId", "c1"),
                Map.of(),
                Map.of("content-type", "application/json"),
                "{\"hi\":\"é\"}"));
    assertEquals(
        new ConnectionCommand(ConnectionCommand.POST, "c1", "{\"hi\":\"é\"}", false), text);

    ConnectionCommand binary =
        ConnectionHandlers.send(
            request(
                Map.of("connectionId", "c2"),
                Map.of(),
                Map.of("Content-Type", "Application/Octet-Stream"),
                "ab"));
    assertEquals(new ConnectionCommand(ConnectionCommand.POST, "c2", "YWI=", true), binary);
  }

  @Test
  void shouldSendAnEmptyTextFrameWithoutABody() {
    ConnectionCommand empty =
        ConnectionHandlers.send(request(Map.of("connectionId", "c3"), Map.of(), Map.of(), null));
    assertEquals(new ConnectionCommand(ConnectionCommand.POST, "c3", "", false), empty);
  }
}
