package dev.portico.edge.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (the JDK's) for tests: collects text frames, records the close code, and
 * can stop reading (demand 0) to play a slow consumer.
 */
final class WsClient implements AutoCloseable {
  final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  final CompletableFuture<String> closeReason = new CompletableFuture<>();
  private final WebSocket socket;
  private final boolean reading;

  private WsClient(URI uri, boolean reading, String... headers) {
    this.reading = reading;
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    this.socket = builder.buildAsync(uri, new Listener()).join();
  }

  /** Connects to {@code ws://edge/{pathAndQuery}}; fails with {@link Refused} if refused. */
  static WsClient connect(Edge edge, String pathAndQuery, String... headers) {
    return open(edge, pathAndQuery, true, headers);
  }

  /** A client that never reads a frame after the upgrade. */
  static WsClient connectNotReading(Edge edge, String pathAndQuery) {
    return open(edge, pathAndQuery, false);
  }

  private static WsClient open(Edge edge, String pathAndQuery, boolean reading, String... headers) {
    URI uri = URI.create("ws://127.0.0.1:" + edge.service.dataPort() + pathAndQuery);
    try {
      return new WsClient(uri, reading, headers);
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        throw new Refused(
            refused.getResponse().statusCode(), String.valueOf(refused.getResponse().body()));
      }
      throw e;
    }
  }

  /** The upgrade was refused with {@code status}. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String body) {
      super("refused with " + status + ": " + body);
      this.status = status;
    }
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  /** One frame of a message sent in several; {@code last} ends the message. */
  void sendPart(String text, boolean last) {
    socket.sendText(text, last).join();
  }

  void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** The next text frame, waiting up to 10 s; fails when none arrives. */
  String next() {
    try {
      String text = texts.poll(10, TimeUnit.SECONDS);
      if (text == null) {
        throw new AssertionError("no frame within 10 s");
      }
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The close code the server sent, waiting up to {@code seconds}. */
  int awaitClose(int seconds) {
    try {
      return closeCode.get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not closed within " + seconds + " s", e);
    }
  }

  boolean isOpen() {
    return !closeCode.isDone() && !socket.isInputClosed();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      if (reading) {
        webSocket.request(1); // else demand stays 0: the client reads nothing
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        texts.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeReason.complete(reason);
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.complete(-1);
    }
  }
}
