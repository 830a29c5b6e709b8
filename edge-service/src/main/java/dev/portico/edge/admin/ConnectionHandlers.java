package dev.portico.edge.admin;

import dev.portico.contracts.ConnectionCommand;
import dev.portico.contracts.FunctionResponse;
import dev.portico.edge.websocket.Connections;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code /@connections/{connectionId}}: POST sends the body to the client (a binary frame when its
 * content type is {@code application/octet-stream}, else a text frame), GET describes the
 * connection, DELETE closes it; on whichever replica holds it, whose answer is relayed as is.
 */
final class ConnectionHandlers {
  private final Connections connections;

  ConnectionHandlers(Connections connections) {
    this.connections = connections;
  }

  Future<FunctionResponse> post(AdminRequest request) {
    return connections.execute(send(request));
  }

  Future<FunctionResponse> get(AdminRequest request) {
    return connections.execute(
        new ConnectionCommand(ConnectionCommand.GET, id(request), null, false));
  }

  Future<FunctionResponse> delete(AdminRequest request) {
    return connections.execute(
        new ConnectionCommand(ConnectionCommand.DELETE, id(request), null, false));
  }

  /** The command that sends the body: Base64 of the bytes for a binary frame, else the text. */
  static ConnectionCommand send(AdminRequest request) {
    byte[] data = request.body().bytes();
    boolean binary = "application/octet-stream".equalsIgnoreCase(request.header("content-type"));
    return new ConnectionCommand(
        ConnectionCommand.POST,
        id(request),
        binary
            ? Base64.getEncoder().encodeToString(data)
            : new String(data, StandardCharsets.UTF_8),
        binary);
  }

  private static String id(AdminRequest request) {
    return request.path("connectionId");
  }
}
