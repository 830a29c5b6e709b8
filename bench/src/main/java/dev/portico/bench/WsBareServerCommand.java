package dev.portico.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The bare WebSocket fan-out server as a process of its own: the ceiling of {@code ws-fanout}. */
@Command(
    name = "ws-bare-server",
    mixinStandardHelpOptions = true,
    description =
        "Serve a bare Vert.x WebSocket fan-out (subscribe / publish) on 127.0.0.1 until stopped.")
final class WsBareServerCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "18090",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--loops",
      defaultValue = "2",
      description = "Event loops, one server verticle each (default: ${DEFAULT-VALUE}).")
  int loops;

  @Override
  public Integer call() throws InterruptedException {
    Bench.await(WsBareFanoutServer.start(port, loops));
    System.out.println("ws-bare-server listening on 127.0.0.1:" + port);
    System.out.flush();
    Thread.currentThread().join();
    return 0;
  }
}
