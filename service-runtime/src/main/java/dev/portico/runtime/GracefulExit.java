package dev.portico.runtime;

import java.lang.reflect.Proxy;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a Portico process ends. SIGTERM or Ctrl-C runs its stop once and then exits 0 when the stop
 * completed cleanly, 1 when it did not; left to itself the JVM would exit 143 (130 for Ctrl-C),
 * which supervisors (systemd, Docker, Kubernetes, scripts) read as a crash. Any other exit, such as
 * {@code System.exit(1)} after a failed start, runs the same stop from a shutdown hook first.
 */
public final class GracefulExit {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulExit.class);

  private final String name;
  private final BooleanSupplier stop;
  private Boolean stoppedCleanly;

  private GracefulExit(String name, BooleanSupplier stop) {
    this.name = name;
    this.stop = stop;
  }

  /**
   * Installs the stop for SIGTERM, SIGINT and any other exit.
   *
   * @param stop stops everything the process started; returns whether it did so cleanly
   */
  public static void install(String name, BooleanSupplier stop) {
    GracefulExit exit = new GracefulExit(name, stop);
    Runtime.getRuntime().addShutdownHook(new Thread(exit::stopOnce, name + "-shutdown"));
    exit.handle("TERM");
    exit.handle("INT");
  }

  private synchronized boolean stopOnce() {
    if (stoppedCleanly == null) {
      try {
        stoppedCleanly = stop.getAsBoolean();
      } catch (RuntimeException e) {
        LOG.warn("{} did not stop cleanly: {}", name, e.toString());
        stoppedCleanly = false;
      }
    }
    return stoppedCleanly;
  }

  /**
   * Stops on its own thread (the signal dispatcher must stay free), then exits with the outcome.
   */
  private void onSignal() {
    new Thread(() -> System.exit(stopOnce() ? 0 : 1), name + "-stop").start();
  }

  /**
   * Replaces the JVM's handler of one signal. {@code sun.misc.Signal} is the JDK's supported way to
   * do so (module jdk.unsupported); it is reached by reflection, as Kafka does, because javac warns
   * on every direct use of it and this build has no warnings.
   */
  private void handle(String signal) {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler =
          Proxy.newProxyInstance(
              handlerType.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      onSignal();
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> name + " SIG" + signal;
                  });
      signalType
          .getMethod("handle", signalType, handlerType)
          .invoke(null, signalType.getConstructor(String.class).newInstance(signal), handler);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not on this platform or JVM: the shutdown hook still stops everything, with the JVM's
      // own exit status.
      LOG.debug("Cannot handle SIG{}: {}", signal, e.toString());
    }
  }
}
