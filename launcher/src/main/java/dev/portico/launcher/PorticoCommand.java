package dev.portico.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar portico.jar}: without arguments runs the whole suite until SIGTERM or Ctrl-C;
 * {@code kafka <tool> ...} runs one of Kafka's own command-line tools.
 */
@Command(
    name = "java -jar portico.jar",
    description = {
      "Without a command: runs Portico (an embedded Kafka broker and the five services) until"
          + " SIGTERM or Ctrl-C.",
      "Configured by PORTICO_* environment variables (see README.md)."
    },
    subcommands = {KafkaTools.class})
public final class PorticoCommand implements Callable<Integer> {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Shows this help.")
  boolean help;

  @Override
  public Integer call() throws InterruptedException {
    return PorticoLauncher.runUntilStopped(System.getenv());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new PorticoCommand())
        // A tool's arguments are its own: passed on as they are, @file and all.
        .setStopAtUnmatched(true)
        .setExpandAtFiles(false);
  }
}
