package dev.portico.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Change-to-client latency of WebSocket channel fan-out: {@code --subscribers} clients subscribe to
 * {@code --channel}, then {@code --rate} changes per second are produced for {@code --warmup} +
 * {@code --duration} seconds, open loop, each stamped with its <em>scheduled</em> send time ({@code
 * "bench_t"}, nanoTime). Every client measures receipt minus that stamp, so a publisher or server
 * that falls behind is charged the full delay. Sources:
 *
 * <ul>
 *   <li>{@code kafka}: ChannelMessages straight to the channels topic (the edge's fan-out alone);
 *   <li>{@code put}: {@code PUT /prod/customer/{id}} through the edge, customer-service and
 *       stream-service's fan-out back to the edge (end to end), a new id per change, or with {@code
 *       --put-item} one item changed again and again (subscribe to its channel {@code
 *       customers/<item>} to get only these changes);
 *   <li>{@code bare}: publish frames over a WebSocket to {@code ws-bare-server} (the ceiling).
 * </ul>
 *
 * <p>A benchmark tool, not part of the suite: its three sources, clients and report stay in one
 * file so a run can be read from one place.
 */
@Command(
    name = "ws-fanout",
    mixinStandardHelpOptions = true,
    description = "Change-to-client latency of WebSocket channel fan-out (open loop).")
final class WsFanoutCommand implements Callable<Integer> {
  @Option(
      names = "--source",
      defaultValue = "kafka",
      description = "kafka, put or bare (default: ${DEFAULT-VALUE}).")
  String source;

  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:8080/prod",
      description = "WebSocket URL of the subscribers (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(
      names = "--put-url",
      defaultValue = "http://127.0.0.1:8080/prod/customer",
      description = "source put: the collection; PUT goes to <put-url>/<id>.")
  String putUrl;

  @Option(
      names = "--put-item",
      description =
          "source put: PUT every change to this one item instead of a new item per change.")
  String putItem;

  @Option(names = "--subscribers", defaultValue = "1000")
  int subscribers;

  @Option(
      names = "--channel",
      defaultValue = "customers",
      description = "Channel every subscriber joins (default: ${DEFAULT-VALUE}).")
  String channel;

  @Option(names = "--rate", defaultValue = "1000", description = "Changes per second.")
  int rate;

  @Option(names = "--duration", defaultValue = "30", description = "Measured seconds.")
  int durationSeconds;

  @Option(names = "--warmup", defaultValue = "5", description = "Unmeasured seconds first.")
  int warmupSeconds;

  @Option(
      names = "--drain-seconds",
      defaultValue = "20",
      description = "Wait at most this long for the last deliveries (default: ${DEFAULT-VALUE}).")
  int drainSeconds;

  @Option(names = "--connect-rate", defaultValue = "450")
  int connectRate;

  @Option(names = "--loops", defaultValue = "2", description = "Client event loops.")
  int loops;

  @Option(
      names = "--http-connections",
      defaultValue = "64",
      description = "source put: HTTP pool size.")
  int httpConnections;

  @Option(
      names = "--scenario",
      description = "Name in the result line (default: ws-fanout-SOURCE).")
  String scenario;

  @Mixin KafkaOptions kafka;

  /** Sends change {@code seq} stamped {@code stamp}; counts it in {@code accepted} once taken. */
  private interface Publisher extends AutoCloseable {
    void publish(long seq, long stamp, LongAdder accepted);

    /** More fields for the result line, each as " name=value" (empty: none). */
    default String fields() {
      return "";
    }

    @Override
    default void close() {}
  }

  /** Stamps at or after this nanoTime are the measured changes (set before the first publish). */
  private volatile long measureFromNanos = Long.MAX_VALUE;

  @Override
  public Integer call() throws Exception {
    String name = scenario != null ? scenario : "ws-fanout-" + source;
    try (WsClients clients = new WsClients(loops, subscribers + 16)) {
      clients.open(url, subscribers, connectRate, channel, 60);
      long ready = clients.subscribed.sum();
      System.out.printf(
          "%s subscribers: opened=%d subscribed=%d failed=%d failures=%s%n",
          name, clients.opened.sum(), ready, clients.failed.sum(), clients.failureSummary());
      if (ready == 0) {
        System.out.println("no subscriber: nothing to measure");
        return 1;
      }
      LongAdder measuredAccepted = new LongAdder();
      LongAdder otherAccepted = new LongAdder();
      try (Publisher publisher = publisher(clients)) {
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = (long) rate * (warmupSeconds + durationSeconds);
        long warmCount = (long) rate * warmupSeconds;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long measureFrom = start + warmCount * period;
        clients.measureFrom(measureFrom);
        measureFromNanos = measureFrom;
        long framesBefore = 0;
        CpuUse.Sample cpuAtMeasureStart = null;
        for (long i = 0; i < total; i++) {
          long stamp = start + i * period;
          WsClients.parkUntil(stamp);
          if (i == warmCount) {
            framesBefore = clients.frames.sum();
            cpuAtMeasureStart = CpuUse.sample();
          }
          publisher.publish(i, stamp, i >= warmCount ? measuredAccepted : otherAccepted);
        }
        long measureEnd = start + total * period;
        CpuUse cpu = CpuUse.between(cpuAtMeasureStart, CpuUse.sample());
        // Every frame the subscribers got while the measured changes were sent, other writers'
        // changes to the channel included: the delivery load the edge actually carried.
        long framesMeasured = clients.frames.sum() - framesBefore;
        // Drain: until everything expected arrived, no frame arrived for 5 s, or the deadline.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
        long last = -1;
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < deadline) {
          if (clients.measured.sum() >= ready * measuredAccepted.sum()
              && measuredAccepted.sum() >= (long) rate * durationSeconds) {
            break;
          }
          long got = clients.frames.sum();
          if (got != last) {
            last = got;
            lastProgress = System.nanoTime();
          } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(5)) {
            break;
          }
          Thread.sleep(50);
        }
        report(
            name,
            clients,
            ready,
            measuredAccepted.sum(),
            framesMeasured,
            measureFrom,
            measureEnd,
            publisher.fields() + " " + cpu.fields());
      }
    }
    return 0;
  }

  private void report(
      String name,
      WsClients clients,
      long ready,
      long published,
      long framesMeasured,
      long measureFrom,
      long measureEnd,
      String publisherFields) {
    Histogram h = clients.micros;
    long expected = ready * published;
    long delivered = clients.measured.sum();
    System.out.printf(
        "scenario=%s subscribers=%d rate=%d duration=%ds sent=%d published=%d expected=%d delivered=%d"
            + " (%.2f%%) deliveries/s=%.0f all-frames/s=%.0f p50=%s p90=%s p99=%s p99.9=%s max=%s open=%d"
            + " closed-by-server=%s client-cpu=%.1fs%s%n",
        name,
        ready,
        rate,
        durationSeconds,
        (long) rate * durationSeconds,
        published,
        expected,
        delivered,
        expected == 0 ? 0 : 100.0 * delivered / expected,
        delivered / ((measureEnd - measureFrom) / 1e9),
        framesMeasured / ((measureEnd - measureFrom) / 1e9),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()),
        clients.open(),
        clients.closeSummary(),
        ProcessHandle.current()
            .info()
            .totalCpuDuration()
            .map(d -> d.toMillis() / 1000.0)
            .orElse(-1.0),
        publisherFields);
  }

  private static String ms(long micros) {
    return String.format("%.2fms", micros / 1000.0);
  }

  /**
   * The put and bare publishers get an event loop of their own: on a receiver's loop, sends would
   * wait behind the frames arriving, and the publisher, not the server, would set the latency.
   */
  private Publisher publisher(WsClients clients) {
    return switch (source) {
      case "kafka" -> kafkaPublisher();
      case "put" -> ownLoop(this::putPublisher);
      case "bare" -> ownLoop(this::barePublisher);
      default -> throw new IllegalArgumentException("--source: kafka, put or bare, not " + source);
    };
  }

  private static Publisher ownLoop(java.util.function.Function<Vertx, Publisher> make) {
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
    Publisher publisher = make.apply(vertx);
    return new Publisher() {
      @Override
      public void publish(long seq, long stamp, LongAdder accepted) {
        publisher.publish(seq, stamp, accepted);
      }

      @Override
      public String fields() {
        return publisher.fields();
      }

      @Override
      public void close() {
        publisher.close();
        Bench.await(vertx.close());
      }
    };
  }

  /** ChannelMessages as any backend publishes them: keyed by channel, with the protocol headers. */
  private Publisher kafkaPublisher() {
    String topic = kafka.prefix + "ws.channels";
    KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrap, "acks", "all", "linger.ms", 0),
            new StringSerializer(),
            new StringSerializer());
    String run = UUID.randomUUID().toString().substring(0, 8);
    return new Publisher() {
      @Override
      public void publish(long seq, long stamp, LongAdder accepted) {
        String eventId = "wsb-" + run + "-" + seq;
        ProducerRecord<String, String> record =
            new ProducerRecord<>(
                topic,
                channel,
                "{\"channel\":\""
                    + channel
                    + "\",\"eventId\":\""
                    + eventId
                    + "\",\"data\":{\"seq\":"
                    + seq
                    + ",\"bench_t\":"
                    + stamp
                    + "}}");
        record.headers().add("portico-event-id", bytes(eventId));
        record.headers().add("portico-event-type", bytes("ChannelMessage"));
        record.headers().add("portico-schema-version", bytes("1"));
        producer.send(
            record,
            (metadata, e) -> {
              if (e == null) {
                accepted.increment();
              }
            });
      }

      @Override
      public void close() {
        producer.close();
      }
    };
  }

  /**
   * PUT /prod/customer/{id}: a new item per change, so its change record has no OldImage; or, with
   * {@code --put-item}, the same item each time. Its record then also carries the OldImage with the
   * previous stamp, after the NewImage: the clients read the first {@code bench_t}.
   */
  private Publisher putPublisher(Vertx vertx) {
    HttpClient http = new HttpTarget(httpConnections).newClient(vertx);
    Context context = vertx.getOrCreateContext();
    String run = UUID.randomUUID().toString().substring(0, 8);
    LongAdder non2xx = new LongAdder();
    LongAdder errors = new LongAdder();
    // The measured PUTs' own response time (from the same scheduled stamp): splits the end-to-end
    // figure into the write and what follows it.
    Histogram putMicros = new org.HdrHistogram.ConcurrentHistogram(3);
    return new Publisher() {
      @Override
      public void publish(long seq, long stamp, LongAdder accepted) {
        String id = putItem != null ? putItem : "wsb-" + run + "-" + seq;
        Buffer body =
            Buffer.buffer(
                "{\"customer_id\":\""
                    + id
                    + "\",\"customer_name\":\"KilDong\",\"product_name\":\"laptop\","
                    + "\"price\":990000,\"bench_t\":"
                    + stamp
                    + "}");
        BenchRequest request = new BenchRequest(HttpMethod.PUT, putUrl + "/" + id, Map.of(), body);
        context.runOnContext(
            v ->
                new HttpTarget(httpConnections)
                    .send(http, request)
                    .onSuccess(
                        status -> {
                          if (stamp >= measureFromNanos) {
                            putMicros.recordValue(Math.max(0, (System.nanoTime() - stamp) / 1_000));
                          }
                          if (status >= 200 && status < 300) {
                            accepted.increment();
                          } else {
                            non2xx.increment();
                          }
                        })
                    .onFailure(e -> errors.increment()));
      }

      @Override
      public String fields() {
        return String.format(
            " put-p50=%s put-p99=%s put-max=%s put-non2xx=%d put-errors=%d",
            ms(putMicros.getValueAtPercentile(50)),
            ms(putMicros.getValueAtPercentile(99)),
            ms(putMicros.getMaxValue()),
            non2xx.sum(),
            errors.sum());
      }

      @Override
      public void close() {
        http.close();
      }
    };
  }

  /** Publish frames to ws-bare-server over one more WebSocket of the client. */
  private Publisher barePublisher(Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    // Held until close(): Vert.x closes a client that became unreachable, and its WebSocket too.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions());
    WebSocket ws =
        Bench.await(
            client.connect(
                new WebSocketConnectOptions()
                    .setHost(url.getHost())
                    .setPort(url.getPort())
                    .setURI(url.getRawPath().isEmpty() ? "/" : url.getRawPath())));
    String run = UUID.randomUUID().toString().substring(0, 8);
    return new Publisher() {
      @Override
      public void publish(long seq, long stamp, LongAdder accepted) {
        String text =
            "{\"action\":\"publish\",\"channel\":\""
                + channel
                + "\",\"eventId\":\"wsb-"
                + run
                + "-"
                + seq
                + "\",\"data\":{\"seq\":"
                + seq
                + ",\"bench_t\":"
                + stamp
                + "}}";
        context.runOnContext(v -> ws.writeTextMessage(text).onSuccess(x -> accepted.increment()));
      }

      @Override
      public void close() {
        Bench.await(client.close());
      }
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
