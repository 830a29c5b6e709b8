package dev.portico.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options every scenario shares: timing, connection pool size and output format. */
final class LoadOptions {
  @Option(
      names = "--duration",
      defaultValue = "20",
      description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Unmeasured seconds before each run (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--connections",
      defaultValue = "64",
      description = "HTTP/1.1 keep-alive connections in the pool (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--markdown",
      description = "Print Markdown table rows instead of key=value lines.")
  boolean markdown;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Rejects values that would divide by zero or measure nothing, as a usage error. */
  void validate() {
    require(durationSeconds > 0, "--duration must be positive");
    require(warmupSeconds >= 0, "--warmup must not be negative");
    require(connections > 0, "--connections must be positive");
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
