package dev.portico.bench;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Open-loop load of conditional updates or consistent reads on a fixed set of existing items, after
 * filling the table with them.
 */
@Command(
    name = "item-ops",
    mixinStandardHelpOptions = true,
    description = "Conditional updates or consistent reads of existing items at fixed rates.")
final class ItemOpsCommand implements Callable<Integer> {
  /** The operation under load. */
  enum Operation {
    update,
    read
  }

  @Option(names = "--base-url", defaultValue = "http://127.0.0.1:8080/prod")
  String baseUrl;

  @Option(names = "--operation", required = true, description = "update or read")
  Operation operation;

  @Option(names = "--items", defaultValue = "1000", description = "Existing items to spread over.")
  int items;

  @Mixin RateOptions rates;

  @Mixin LoadOptions options;

  @Override
  public Integer call() throws InterruptedException {
    options.validate();
    LongFunction<BenchRequest> workload =
        operation == Operation.update
            ? Workloads.conditionalUpdates(baseUrl, items)
            : Workloads.reads(baseUrl, items);
    try (Bench bench = new Bench()) {
      LoadOptions fill = new LoadOptions();
      fill.durationSeconds = Math.max(1, items / 500);
      fill.warmupSeconds = 0;
      fill.connections = options.connections;
      System.out.println("filling " + items + " items first (scenario=fill)");
      bench.openLoop("fill", rate -> Workloads.fill(baseUrl, items), List.of(500), fill);
      bench.openLoop("item-" + operation, rate -> workload, rates.validated(), options);
    }
    return 0;
  }
}
