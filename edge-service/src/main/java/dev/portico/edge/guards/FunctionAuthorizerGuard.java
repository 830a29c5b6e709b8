package dev.portico.edge.guards;

import dev.portico.contracts.AuthorizerRequest;
import dev.portico.contracts.FunctionRequest;
import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.RequestEvent;
import dev.portico.edge.api.FunctionAuthorizer;
import dev.portico.edge.api.IdentitySource;
import dev.portico.edge.api.WebSocketApi;
import dev.portico.edge.integration.FunctionOutcomes;
import dev.portico.edge.integration.FunctionRequests;
import dev.portico.edge.integration.IntegrationException;
import dev.portico.edge.request.AuthorizerResult;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.GatewayException;
import dev.portico.edge.request.Rejection;
import dev.portico.edge.request.Step;
import dev.portico.edge.serving.Release;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The authorizer function of routes whose security names one (API Gateway's REQUEST authorizer):
 * the request's identity sources are read first, and a request missing one is refused, 401 {@code
 * Unauthorized}, without asking the function. Otherwise the verdict cached for those values (per
 * API, stage, deployment and authorizer, for the authorizer's result TTL) is used, or the function
 * is asked over the function protocol: an allowing verdict hands its principal and context on to
 * the integration, a denying one answers 403 {@code Forbidden}, an answer of status 401 answers 401
 * (a Lambda authorizer's "Unauthorized" error), and anything else (no answer in time, an unreadable
 * answer, another status) answers 500 {@code Internal server error} with {@code
 * AuthorizerConfigurationException}, as API Gateway does. Only readable verdicts are cached.
 *
 * <p>Each call of the function (not a cache hit, not a request refused for a missing identity
 * source) is published as a {@link RequestEvent#AUTHORIZER} event, so the function metrics count it
 * under the authorizer's topic as any invocation: OK or ERROR by the reply's status, MALFORMED when
 * the reply is no response event or a 2xx reply holds no verdict, TIMEOUT; a reply after the
 * timeout is a {@link RequestEvent#LATE_REPLY}.
 */
public final class FunctionAuthorizerGuard implements Step {
  /** How the guard asks a function: {@code KafkaFunctionClient::invoke}. */
  @FunctionalInterface
  public interface Invoker {
    Future<FunctionResponse> invoke(
        String topic,
        String key,
        Object event,
        String correlationId,
        Duration timeout,
        Runnable onLateReply);
  }

  static final int MAX_CACHED_VERDICTS = 100_000;
  private static final String ARN_PREFIX = "arn:portico:execute-api:local:portico:";

  private final Invoker invoker;
  private final Consumer<RequestEvent> calls;
  private final AuthorizerCache cache;
  private final Counter hits;
  private final Counter misses;
  private final Timer answered;
  private final Timer failed;

  /**
   * @param calls where each call's {@link RequestEvent#AUTHORIZER} event (and a late reply's {@link
   *     RequestEvent#LATE_REPLY}) goes: the request events' publisher
   * @param clockMillis the cache's clock (tests move it to expire entries)
   */
  public FunctionAuthorizerGuard(
      Invoker invoker,
      Consumer<RequestEvent> calls,
      MeterRegistry registry,
      LongSupplier clockMillis) {
    this.invoker = invoker;
    this.calls = calls;
    this.cache = new AuthorizerCache(MAX_CACHED_VERDICTS, clockMillis);
    this.hits = cacheCounter(registry, "hit");
    this.misses = cacheCounter(registry, "miss");
    this.answered = timer(registry, "answered");
    this.failed = timer(registry, "failed");
  }

  /** Answered: the function replied (whatever it said); failed: no usable reply in time. */
  private static Timer timer(MeterRegistry registry, String outcome) {
    return Timer.builder("portico.edge.authorizer.duration")
        .description("How long authorizer functions took to answer (cache misses only)")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Counter cacheCounter(MeterRegistry registry, String result) {
    return Counter.builder("portico.edge.authorizer.cache")
        .description("Authorizer function verdicts found in (hit) or missing from (miss) the cache")
        .tag("result", result)
        .register(registry);
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    String name = ex.match().route().options().authorizer();
    FunctionAuthorizer authorizer =
        name == null ? null : ex.release().policies().functionAuthorizers().get(name);
    if (authorizer == null) {
      return NEXT; // none, or a JWT authorizer (JwtGuard's)
    }
    List<String> values = identityValues(ex, authorizer);
    if (values == null) {
      return Future.failedFuture(Rejection.of(GatewayError.UNAUTHORIZED));
    }
    String key = cacheKey(ex.release(), authorizer, values);
    boolean caching = !authorizer.resultTtl().isZero();
    if (caching) {
      AuthorizerVerdict cached = cache.get(key);
      if (cached != null) {
        hits.increment();
        return decide(ex, cached, key);
      }
      misses.increment();
    }
    long start = System.nanoTime();
    String api = ex.release().apiName();
    String stage = ex.stageName();
    String requestId = ex.requestId();
    Runnable onLateReply =
        () ->
            calls.accept(
                RequestEvent.lateReply(
                    requestId, System.currentTimeMillis(), api, stage, authorizer.topic()));
    return invoker
        .invoke(
            authorizer.topic(),
            null,
            event(ex, values),
            requestId + "-authorizer",
            authorizer.timeout(),
            onLateReply)
        .transform(
            done -> {
              long nanos = System.nanoTime() - start;
              (done.succeeded() ? answered : failed).record(nanos, TimeUnit.NANOSECONDS);
              Future<AuthorizerVerdict> verdict =
                  done.succeeded()
                      ? verdict(authorizer, done.result())
                      : Future.failedFuture(unusable(authorizer, done.cause()));
              String outcome = FunctionOutcomes.of(done.result(), done.cause());
              if (outcome != null) {
                if (done.succeeded() && isNotAVerdict(done.result(), verdict)) {
                  outcome = RequestEvent.Outcome.MALFORMED;
                }
                Double ms = FunctionOutcomes.answered(outcome) ? nanos / 1e6 : null;
                calls.accept(
                    RequestEvent.authorizerCall(
                        requestId,
                        ex.startEpochMillis(),
                        api,
                        stage,
                        authorizer.topic(),
                        outcome,
                        ms));
              }
              return verdict;
            })
        .compose(
            verdict -> {
              if (caching) {
                cache.put(key, verdict, authorizer.resultTtl().toMillis());
              }
              return decide(ex, verdict, key);
            });
  }

  /** A 2xx reply without a readable verdict: a malformed answer, for the function metrics. */
  private static boolean isNotAVerdict(FunctionResponse response, Future<AuthorizerVerdict> v) {
    int status = response.statusCode();
    return status >= 200 && status <= 299 && v.failed();
  }

  private static Future<Integer> decide(Exchange ex, AuthorizerVerdict verdict, String key) {
    if (!verdict.allows(arn(ex))) {
      return Future.failedFuture(Rejection.of(GatewayError.FORBIDDEN));
    }
    ex.authorizeFunction(new AuthorizerResult(verdict.principalId(), verdict.context(), key));
    return NEXT;
  }

  private static Future<AuthorizerVerdict> verdict(
      FunctionAuthorizer authorizer, FunctionResponse response) {
    if (response.statusCode() == 401) {
      return Future.failedFuture(Rejection.of(GatewayError.UNAUTHORIZED));
    }
    if (response.statusCode() < 200 || response.statusCode() > 299) {
      return Future.failedFuture(
          failure(authorizer, "answered status " + response.statusCode() + ", not 200"));
    }
    try {
      return Future.succeededFuture(AuthorizerVerdict.read(response));
    } catch (AuthorizerVerdict.Malformed e) {
      return Future.failedFuture(failure(authorizer, e.getMessage()));
    }
  }

  private static Throwable unusable(FunctionAuthorizer authorizer, Throwable failure) {
    String why =
        failure instanceof IntegrationException e
            ? e.error() == GatewayError.INTEGRATION_TIMEOUT
                ? "no answer within " + authorizer.timeout().toMillis() + " ms"
                : e.getMessage()
            : String.valueOf(failure.getMessage());
    return failure(authorizer, why);
  }

  private static GatewayException failure(FunctionAuthorizer authorizer, String why) {
    return new GatewayException(
        GatewayError.AUTHORIZER_FAILURE,
        "authorizer " + authorizer.name() + " (" + authorizer.topic() + "): " + why);
  }

  /** The identity sources' values in order, or {@code null} when one is missing or empty. */
  private static List<String> identityValues(Exchange ex, FunctionAuthorizer authorizer) {
    List<String> values = new ArrayList<>(authorizer.identitySources().size());
    HttpServerRequest request = ex.request();
    for (IdentitySource source : authorizer.identitySources()) {
      String value =
          switch (source.kind()) {
            case HEADER -> joined(request.headers().getAll(source.name()));
            case QUERY -> joined(request.params().getAll(source.name()));
            case STAGE_VARIABLE -> ex.release().variables().get(source.name());
            case ROUTE_KEY -> routeKey(ex);
            case SOURCE_IP ->
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
          };
      if (value == null || value.isEmpty()) {
        return null;
      }
      values.add(value);
    }
    return values;
  }

  private static String joined(List<String> all) {
    return all.isEmpty() ? null : String.join(",", all);
  }

  private static String routeKey(Exchange ex) {
    return ex.isWebSocket() ? WebSocketApi.CONNECT : ex.match().route().routeKey();
  }

  /**
   * The verdict's cache key: the API, stage and deployment (a new deployment may change the
   * authorizer), the authorizer, and the identity sources' values (NUL cannot occur in them).
   */
  private static String cacheKey(
      Release release, FunctionAuthorizer authorizer, List<String> values) {
    StringBuilder key =
        new StringBuilder(release.apiName())
            .append('\0')
            .append(release.stage())
            .append('\0')
            .append(release.deploymentId())
            .append('\0')
            .append(authorizer.name());
    values.forEach(v -> key.append('\0').append(v));
    return key.toString();
  }

  /** The route as an ARN in API Gateway's shape: {@code .../{api}/{stage}/{METHOD}/{path}}. */
  static String arn(Exchange ex) {
    String route =
        ex.isWebSocket() ? WebSocketApi.CONNECT : ex.request().method().name() + ex.resourcePath();
    return ARN_PREFIX + ex.release().apiName() + "/" + ex.release().stage() + "/" + route;
  }

  private static AuthorizerRequest event(Exchange ex, List<String> values) {
    Release release = ex.release();
    FunctionRequest request =
        FunctionRequests.from(
            ex.request(),
            null,
            null,
            release.apiName(),
            release.stage(),
            ex.match(),
            release.variables(),
            ex.requestId(),
            Instant.ofEpochMilli(ex.startEpochMillis()),
            null);
    return AuthorizerRequest.of(request, routeKey(ex), arn(ex), values);
  }

  /** Verdicts held now (for tests). */
  int cachedVerdicts() {
    return cache.size();
  }
}
