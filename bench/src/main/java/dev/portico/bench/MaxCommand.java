package dev.portico.bench;

import java.util.concurrent.Callable;
import java.util.function.LongFunction;
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
  /** What each request is. */
  enum Method {
    /** A new customer per request, as the write path. */
    POST,
    /** A plain GET of the URL. */
    GET
  }

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080/prod/customer",
      description = "Target URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--method",
      defaultValue = "POST",
      description = "POST (a new customer per request) or GET (default: ${DEFAULT-VALUE}).")
  Method method;

  @Option(
      names = "--scenario",
      defaultValue = "max",
      description = "Name printed with the result (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Mixin LoadOptions options;

  @Override
  public Integer call() {
    options.validate();
    LongFunction<BenchRequest> workload =
        method == Method.GET ? Workloads.gets(url) : Workloads.puts(url, CustomerBodies.forRun(0));
    try (Bench bench = new Bench()) {
      bench.closedLoop(scenario, workload, options);
    }
    return 0;
  }
}
