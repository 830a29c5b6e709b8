package dev.portico.bench;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

/** Write-path request bodies, each with a distinct {@code customer_id} of the form bench-RUN-N. */
final class CustomerBodies implements LongFunction<Buffer> {
  private final String runId;

  private CustomerBodies(String runId) {
    this.runId = runId;
  }

  /**
   * A fresh run id per rate, so ids stay distinct across rates and across invocations against the
   * same store.
   */
  static CustomerBodies forRun(int rate) {
    String random = Long.toString(ThreadLocalRandom.current().nextLong() >>> 16, 36);
    return new CustomerBodies(random + "r" + rate);
  }

  String id(long n) {
    return "bench-" + runId + "-" + n;
  }

  String json(long n) {
    return "{\"customer_id\":\""
        + id(n)
        + "\",\"customer_name\":\"KilDong\",\"product_name\":\"laptop\",\"price\":990000}";
  }

  @Override
  public Buffer apply(long n) {
    return Buffer.buffer(json(n));
  }
}
