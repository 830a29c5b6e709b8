package dev.portico.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code bench.jar}: dispatches to the scenarios (write-path, ceiling, max,
 * kafka-round-trip, item-ops, kafka-fill, ws-hold, ws-fanout) and to the helper processes of the
 * gateway and WebSocket benchmarks (bare-server, bare-proxy, echo-function, ws-bare-server).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Portico benchmarks (open-loop, coordinated-omission corrected).",
    subcommands = {
      WritePathCommand.class,
      CeilingCommand.class,
      MaxCommand.class,
      KafkaRoundTripCommand.class,
      ItemOpsCommand.class,
      DynamoDbCommand.class,
      KafkaFillCommand.class,
      BareServerCommand.class,
      BareProxyCommand.class,
      EchoFunctionCommand.class,
      SdkEchoFunctionCommand.class,
      WsHoldCommand.class,
      WsFanoutCommand.class,
      WsBareServerCommand.class
    })
public final class BenchMain implements Runnable {
  @Spec CommandSpec spec;

  /** Without a subcommand there is nothing to measure: show what there is. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing scenario (subcommand)");
  }

  public static void main(String[] args) {
    // Vert.x threads are not daemons: exit explicitly once the command is done.
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
