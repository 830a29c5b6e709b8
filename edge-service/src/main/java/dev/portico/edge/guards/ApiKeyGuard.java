package dev.portico.edge.guards;

import dev.portico.contracts.edge.ApiKeyRecord;
import dev.portico.contracts.edge.UsagePlanRecord;
import dev.portico.edge.request.Exchange;
import dev.portico.edge.request.GatewayError;
import dev.portico.edge.request.Rejection;
import dev.portico.edge.request.Step;
import dev.portico.edge.serving.ApiKeyIndex;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Routes that require an API key: the {@code x-api-key} header must name an enabled key that a
 * usage plan attaches to this API stage (a WebSocket connect may send it as the {@code x-api-key}
 * query parameter instead), as in API Gateway; otherwise 403 Forbidden (the same answer for a
 * missing, unknown, disabled or unattached key, so a caller learns nothing).
 */
public final class ApiKeyGuard implements Step {
  private final Supplier<ApiKeyIndex> keys;

  public ApiKeyGuard(Supplier<ApiKeyIndex> keys) {
    this.keys = keys;
  }

  @Override
  public Future<Integer> apply(Exchange ex) {
    if (!ex.match().route().options().apiKeyRequired()) {
      return NEXT;
    }
    String presented = ex.credential("x-api-key", "x-api-key");
    ApiKeyIndex index = keys.get();
    ApiKeyRecord key = presented == null || presented.isEmpty() ? null : index.find(presented);
    if (key == null || !key.enabled()) {
      return Future.failedFuture(Rejection.of(GatewayError.FORBIDDEN));
    }
    UsagePlanRecord plan = index.plan(key.id(), ex.release().apiId(), ex.release().stage());
    if (plan == null) {
      return Future.failedFuture(Rejection.of(GatewayError.FORBIDDEN));
    }
    ex.authorizeKey(key, plan);
    return NEXT;
  }
}
