package dev.portico.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

  @Option(
      names = "--header",
      paramLabel = "NAME:VALUE",
      description = "An extra request header, e.g. x-api-key:abc; repeatable.")
  List<String> headers = new ArrayList<>();

  @Mixin LoadOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    options.validate();
    Map<String, String> extra = headers();
    LongFunction<BenchRequest> workload =
        method == Method.GET
            ? Workloads.gets(url, extra)
            : Workloads.puts(url, CustomerBodies.forRun(0), extra);
    try (Bench bench = new Bench()) {
      bench.closedLoop(scenario, workload, options);
    }
    return 0;
  }

  /** The {@code --header} options as a map; a value without {@code NAME:} is a usage error. */
  private Map<String, String> headers() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon < 1) {
        throw new ParameterException(
            spec.commandLine(), "--header must be NAME:VALUE, was '" + header + "'");
      }
      out.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
    }
    return out;
  }
}
