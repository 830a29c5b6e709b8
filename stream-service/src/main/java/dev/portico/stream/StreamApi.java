package dev.portico.stream;

import dev.portico.runtime.RawBodyHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream reading API on the service's HTTP port, for the bundled {@code customers} table and
 * every team table with a stream ({@code /streams/{table}/...}, found by {@link StreamSources}).
 * Every Kafka access and catalog lookup runs off the event loop ({@code executeBlocking},
 * unordered, so reads run in parallel up to the consumer pool's size). Refusals are 4xx {@code
 * {"message", "type"}} with {@code x-portico-error-type}; only a genuine fault is a 500.
 */
final class StreamApi {
  static final String BASE = "/streams/:table";
  private static final Logger LOG = LoggerFactory.getLogger(StreamApi.class);

  private final Vertx vertx;
  private final StreamSources sources;
  private final StreamReader reader;
  private final Counter recordsServed;

  StreamApi(Vertx vertx, StreamSources sources, StreamReader reader, MeterRegistry meters) {
    this.vertx = vertx;
    this.sources = sources;
    this.reader = reader;
    this.recordsServed =
        Counter.builder("portico_stream_records_served")
            .description("Change records returned by GET /streams/{table}/records")
            .register(meters);
  }

  void mount(Router router) {
    router.get(BASE + "/shards").handler(this::shards);
    router.post(BASE + "/iterators").handler(RawBodyHandler.create(16 * 1024));
    router.post(BASE + "/iterators").handler(this::iterator);
    router.get(BASE + "/records").handler(this::records);
    // Anything else under the streams' path: a JSON answer, like every other refusal here.
    router
        .route("/streams/*")
        .handler(
            ctx ->
                fail(
                    ctx,
                    new StreamError(
                        404,
                        "UnknownOperationException",
                        "No such operation: "
                            + ctx.request().method()
                            + " "
                            + ctx.request().path())));
  }

  /** The stream the path names; blocking (a catalog lookup): call it on a worker thread. */
  private StreamSource stream(RoutingContext ctx) {
    return sources.find(ctx.pathParam("table"));
  }

  private void shards(RoutingContext ctx) {
    answer(
        ctx,
        () -> {
          StreamSource stream = stream(ctx);
          JsonArray shards = new JsonArray();
          for (StreamReader.Shard s : reader.shards(stream)) {
            shards.add(
                new JsonObject()
                    .put("shardId", s.shardId())
                    .put("partition", s.partition())
                    .put(
                        "sequenceNumberRange",
                        new JsonObject()
                            .put("startingSequenceNumber", s.startingSequenceNumber())
                            .putNull("endingSequenceNumber")));
          }
          return new JsonObject().put("stream", stream.name()).put("shards", shards);
        });
  }

  private void iterator(RoutingContext ctx) {
    JsonObject body;
    try {
      Buffer raw = ctx.body().buffer();
      if (raw == null || raw.length() == 0) {
        throw StreamError.validation("Body required: {\"shardId\", \"type\", \"sequenceNumber\"?}");
      }
      Object parsed = io.vertx.core.json.Json.decodeValue(raw);
      if (!(parsed instanceof JsonObject object)) {
        throw StreamError.validation("Body must be a JSON object");
      }
      body = object;
      for (String field : body.fieldNames()) {
        if (!field.equals("shardId") && !field.equals("type") && !field.equals("sequenceNumber")) {
          throw StreamError.validation(
              "Unknown field '" + field + "'; allowed: shardId, type, sequenceNumber");
        }
        Object value = body.getValue(field);
        if (value != null && !(value instanceof String)) {
          throw StreamError.validation(field + " must be a string");
        }
      }
    } catch (DecodeException e) {
      fail(ctx, StreamError.validation("Body is not valid JSON"));
      return;
    } catch (StreamError e) {
      fail(ctx, e);
      return;
    }
    answer(
        ctx,
        () ->
            new JsonObject()
                .put(
                    "shardIterator",
                    reader.iterator(
                        stream(ctx),
                        body.getString("shardId"),
                        body.getString("type"),
                        body.getString("sequenceNumber"))));
  }

  private void records(RoutingContext ctx) {
    String iterator = single(ctx, "iterator");
    String limit = single(ctx, "limit");
    if (iterator == null && ctx.queryParam("iterator").size() > 1
        || limit == null && ctx.queryParam("limit").size() > 1) {
      fail(ctx, StreamError.validation("iterator and limit may each be given once"));
      return;
    }
    answer(
        ctx,
        () -> {
          StreamReader.Records page = reader.records(stream(ctx), iterator, limit);
          recordsServed.increment(page.records().size());
          // Records are passed through as stored (customer-service's JSON; a team table's typed
          // images), not re-serialized.
          Buffer out = Buffer.buffer("{\"records\":[");
          for (int i = 0; i < page.records().size(); i++) {
            out.appendString(i == 0 ? "" : ",").appendBytes(page.records().get(i));
          }
          return out.appendString("],\"nextShardIterator\":")
              .appendString(io.vertx.core.json.Json.encode(page.nextShardIterator()))
              .appendString("}");
        });
  }

  private static String single(RoutingContext ctx, String name) {
    var values = ctx.queryParam(name);
    return values.size() == 1 ? values.get(0) : null;
  }

  private void answer(RoutingContext ctx, Callable<Object> work) {
    Future<Object> result = vertx.executeBlocking(work, false);
    result.onComplete(
        done -> {
          if (done.succeeded()) {
            Object value = done.result();
            ctx.response().putHeader("content-type", "application/json");
            ctx.response().end(value instanceof Buffer b ? b : ((JsonObject) value).toBuffer());
          } else if (done.cause() instanceof StreamError e) {
            fail(ctx, e);
          } else if (done.cause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            fail(ctx, new StreamError(503, "ServiceUnavailable", "Kafka did not answer in time"));
          } else {
            LOG.error("Stream request failed", done.cause());
            fail(ctx, new StreamError(500, "InternalServerError", "Internal server error"));
          }
        });
  }

  static void fail(RoutingContext ctx, StreamError e) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(e.status)
        .putHeader("content-type", "application/json")
        .putHeader("x-portico-error-type", e.type)
        .end(new JsonObject().put("message", e.getMessage()).put("type", e.type).toBuffer());
  }
}
