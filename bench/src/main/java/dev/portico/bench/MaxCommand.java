package dev.portico.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Closed-loop load: how many requests per second the target completes with N connections busy. */
@Command(
    name = "max",
    mixinStandardHelpOptions = true,
    description =
        "Closed-loop maximum throughput: each connection sends again when it gets a reply.")
final class MaxCommand implements Callable<Integer> {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080/prod/customer",
      description = "Write-path URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Mixin LoadOptions options;

  @Override
  public Integer call() {
    options.validate();
    try (Bench bench = new Bench()) {
      bench.closedLoop("max", url, options);
    }
    return 0;
  }
}
