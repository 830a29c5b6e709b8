package dev.portico.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Open-loop load against the gateway's write path, one run per rate; also any route that takes the
 * same POST body (the gateway benchmark's Kafka echo route).
 */
@Command(
    name = "write-path",
    mixinStandardHelpOptions = true,
    description = "POST distinct customers to the edge at fixed rates (open loop).")
final class WritePathCommand implements Callable<Integer> {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080/prod/customer",
      description = "Write-path URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--scenario",
      defaultValue = "write-path",
      description = "Name printed with each result (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Mixin RateOptions rates;

  @Mixin LoadOptions options;

  @Override
  public Integer call() throws InterruptedException {
    options.validate();
    try (Bench bench = new Bench()) {
      bench.openLoop(
          scenario,
          rate -> Workloads.puts(url, CustomerBodies.forRun(rate)),
          rates.validated(),
          options);
    }
    return 0;
  }
}
