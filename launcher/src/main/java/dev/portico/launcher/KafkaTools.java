package dev.portico.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Kafka's own command-line tools, from the {@code kafka-tools} artifact of the Kafka version
 * Portico runs: {@code portico.jar kafka <tool> ...} runs what Kafka's {@code bin/kafka-<tool>.sh
 * ...} runs, with the same arguments, against any broker.
 */
@Command(
    name = "kafka",
    description =
        "Runs one of Kafka's command-line tools (as bin/kafka-<tool>.sh would); the tool's"
            + " own --help lists its options.",
    subcommands = {
      KafkaTools.ConsoleConsumer.class,
      KafkaTools.ConsoleProducer.class,
      KafkaTools.Topics.class,
      KafkaTools.ConsumerGroups.class
    })
final class KafkaTools implements Runnable {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Shows this help.")
  boolean help;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing tool (subcommand)");
  }

  /** A Kafka tool's {@code main}. */
  interface ToolMain {
    void run(String[] args) throws Exception;
  }

  /** Passes every argument on to the tool; its options, help and exit status are its own. */
  abstract static class Tool implements Callable<Integer> {
    @Unmatched List<String> arguments = new ArrayList<>();

    private final ToolMain main;

    Tool(ToolMain main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      logLikeKafkaTools();
      main.run(arguments.toArray(String[]::new)); // tools that fail exit on their own
      return 0;
    }
  }

  @Command(
      name = "console-consumer",
      description = "kafka-console-consumer.sh: prints a topic's records on stdout.")
  static final class ConsoleConsumer extends Tool {
    ConsoleConsumer() {
      super(org.apache.kafka.tools.consumer.ConsoleConsumer::main);
    }
  }

  @Command(
      name = "console-producer",
      description = "kafka-console-producer.sh: sends each line of stdin as a record.")
  static final class ConsoleProducer extends Tool {
    ConsoleProducer() {
      super(org.apache.kafka.tools.ConsoleProducer::main);
    }
  }

  @Command(name = "topics", description = "kafka-topics.sh: lists, describes, creates topics.")
  static final class Topics extends Tool {
    Topics() {
      super(org.apache.kafka.tools.TopicCommand::main);
    }
  }

  @Command(
      name = "consumer-groups",
      description =
          "kafka-consumer-groups.sh: lists and describes groups, their lag, resets offsets.")
  static final class ConsumerGroups extends Tool {
    ConsumerGroups() {
      super(org.apache.kafka.tools.consumer.group.ConsumerGroupCommand::main);
    }
  }

  /**
   * The tools print their results on stdout; their own logs go to stderr, warnings only, as with
   * Kafka's scripts, instead of the services' JSON lines on stdout.
   */
  static void logLikeKafkaTools() throws JoranException {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(KafkaTools.class.getResource("/portico-kafka-tools-logback.xml"));
  }
}
