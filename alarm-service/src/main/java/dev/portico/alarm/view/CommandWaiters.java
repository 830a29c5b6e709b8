package dev.portico.alarm.view;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API requests waiting for their command to be applied: the processor answers each command with a
 * record on a compacted topic carrying the command's id, and this replica's view reader completes
 * the waiter once it has applied that record, so a reply implies read-your-writes on this replica.
 */
public final class CommandWaiters {
  /** A command's result: {@code status} 0 means applied; otherwise an HTTP status and why. */
  public record Outcome(int status, String message) {
    public static final Outcome APPLIED = new Outcome(0, null);

    public boolean applied() {
      return status == 0;
    }
  }

  private record Waiter(Context context, Promise<Outcome> promise) {}

  private final Vertx vertx;
  private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();

  public CommandWaiters(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Call on the event loop before sending the command; times out after {@code timeoutMs}. */
  public Future<Outcome> register(String commandId, long timeoutMs) {
    Context context = vertx.getOrCreateContext();
    Promise<Outcome> promise = Promise.promise();
    waiting.put(commandId, new Waiter(context, promise));
    long timer =
        vertx.setTimer(
            timeoutMs,
            t -> {
              Waiter gone = waiting.remove(commandId);
              if (gone != null) {
                gone.promise.tryFail(new CommandTimeout());
              }
            });
    return promise.future().onComplete(r -> vertx.cancelTimer(timer));
  }

  public void forget(String commandId) {
    waiting.remove(commandId);
  }

  /** From the view reader's thread: the command's answer has been applied. */
  void complete(String commandId, Outcome outcome) {
    Waiter waiter = waiting.remove(commandId);
    if (waiter != null) {
      waiter.context.runOnContext(v -> waiter.promise.tryComplete(outcome));
    }
  }

  /** The command was not answered in time (Kafka or the processor is not keeping up). */
  public static final class CommandTimeout extends RuntimeException {
    public CommandTimeout() {
      super("The command was not applied in time", null, false, false);
    }
  }
}
