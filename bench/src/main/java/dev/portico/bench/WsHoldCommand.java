package dev.portico.bench;

import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Opens many WebSocket connections and holds them open, so that the server's memory and idle CPU
 * can be measured from outside ({@code run-websocket.sh} does, with jcmd and /proc). Prints {@code
 * ws-hold ready ...} once every connection is open (and subscribed), then holds until {@code
 * --hold-seconds} have passed or the process is stopped.
 */
@Command(
    name = "ws-hold",
    mixinStandardHelpOptions = true,
    description = "Open N WebSocket connections at a fixed rate and hold them open.")
final class WsHoldCommand implements Callable<Integer> {
  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:8080/prod",
      description = "WebSocket URL (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(
      names = "--connections",
      defaultValue = "10000",
      description = "Connections to open (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--connect-rate",
      defaultValue = "450",
      description =
          "New connections per second (default: ${DEFAULT-VALUE}; the edge refuses beyond"
              + " PORTICO_EDGE_WS_CONNECT_RATE, 500 by default).")
  int connectRate;

  @Option(
      names = "--channel",
      description = "Subscribe every connection to this channel (default: none).")
  String channel;

  @Option(
      names = "--loops",
      defaultValue = "2",
      description = "Client event loops (default: ${DEFAULT-VALUE}).")
  int loops;

  @Option(
      names = "--hold-seconds",
      defaultValue = "600",
      description = "Hold this long, then close and exit (default: ${DEFAULT-VALUE}).")
  int holdSeconds;

  @Override
  public Integer call() throws InterruptedException {
    try (WsClients clients = new WsClients(loops, connections + 16)) {
      long start = System.nanoTime();
      clients.open(url, connections, connectRate, channel, 120);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "ws-hold ready url=%s requested=%d opened=%d subscribed=%d failed=%d seconds=%.1f"
              + " failures=%s%n",
          url,
          connections,
          clients.opened.sum(),
          clients.subscribed.sum(),
          clients.failed.sum(),
          seconds,
          clients.failureSummary());
      System.out.flush();
      // Stopped with SIGTERM by the script: still say what the server did to the connections.
      Thread status =
          new Thread(
              () ->
                  System.out.printf(
                      "ws-hold stopped open=%d closed-by-server=%s%n",
                      clients.open(), clients.closeSummary()));
      Runtime.getRuntime().addShutdownHook(status);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdSeconds);
      while (System.nanoTime() < until) {
        Thread.sleep(1_000);
      }
      Runtime.getRuntime().removeShutdownHook(status);
      System.out.printf(
          "ws-hold done open=%d closed-by-server=%s%n", clients.open(), clients.closeSummary());
    }
    return 0;
  }
}
