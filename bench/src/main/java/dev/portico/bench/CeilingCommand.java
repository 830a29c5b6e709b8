package dev.portico.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The same open-loop load against an in-process bare Vert.x server: the best the edge could do. */
@Command(
    name = "ceiling",
    mixinStandardHelpOptions = true,
    description = "Start a bare Vert.x server in-process and load it like the write path.")
final class CeilingCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "18080",
      description = "Port of the in-process server (default: ${DEFAULT-VALUE}).")
  int port;

  @Mixin RateOptions rates;

  @Mixin LoadOptions options;

  @Override
  public Integer call() throws InterruptedException {
    options.validate();
    BareVertxServer server = Bench.await(BareVertxServer.start(port));
    try (Bench bench = new Bench()) {
      String url = "http://127.0.0.1:" + port + "/prod/customer";
      bench.openLoop(
          "ceiling",
          rate -> Workloads.puts(url, CustomerBodies.forRun(rate)),
          rates.validated(),
          options);
    } finally {
      Bench.await(server.stop());
    }
    return 0;
  }
}
