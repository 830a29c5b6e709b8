package dev.portico.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The bare Vert.x server as a process of its own: a ceiling and a backend for proxies. */
@Command(
    name = "bare-server",
    mixinStandardHelpOptions = true,
    description = "Serve the ceiling's fixed JSON on 127.0.0.1 until the process is stopped.")
final class BareServerCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "18081",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--status",
      defaultValue = "200",
      description = "Status of every answer (default: ${DEFAULT-VALUE}).")
  int status;

  @Override
  public Integer call() throws InterruptedException {
    Bench.await(BareVertxServer.start(port, status));
    System.out.println("bare-server listening on 127.0.0.1:" + port);
    System.out.flush();
    // Serves until SIGTERM; the process exit closes the sockets.
    Thread.currentThread().join();
    return 0;
  }
}
