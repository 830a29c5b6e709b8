package dev.portico.bench;

import picocli.CommandLine.Option;

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
}
