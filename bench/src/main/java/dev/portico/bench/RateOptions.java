package dev.portico.bench;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The fixed request rates of an open-loop scenario: one run per rate. */
final class RateOptions {
  @Option(
      names = "--rates",
      split = ",",
      defaultValue = "1000,5000",
      description = "Comma-separated request rates in req/s (default: ${DEFAULT-VALUE}).")
  List<Integer> rates;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  List<Integer> validated() {
    if (!rates.stream().allMatch(rate -> rate > 0)) {
      throw new ParameterException(spec.commandLine(), "--rates must all be positive");
    }
    return rates;
  }
}
