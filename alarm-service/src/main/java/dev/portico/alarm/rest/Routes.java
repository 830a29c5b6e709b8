package dev.portico.alarm.rest;

import dev.portico.runtime.RawBodyHandler;
import io.vertx.ext.web.Router;

/** Where alarm-service's API goes on the service's router, and how its errors look. */
public final class Routes {
  /** Room for a 256 KB message even when JSON escaping blows it up. */
  static final long BODY_LIMIT = 2L * 1024 * 1024;

  private static final String API_PATHS =
      "/(alarms|composite-alarms|alarm-history|topics|subscriptions|deliveries)(/.*)?";

  private Routes() {}

  public static void install(
      Router router,
      AlarmApi alarms,
      HistoryApi history,
      TopicApi topics,
      DeliveriesApi deliveries) {
    router.routeWithRegex(API_PATHS).handler(RawBodyHandler.create(BODY_LIMIT));
    alarms.routes(router);
    history.routes(router);
    topics.routes(router);
    deliveries.routes(router);
    router.errorHandler(
        413, ctx -> Replies.json(ctx, 413, Replies.message("The request body is over 2 MB")));
    router.errorHandler(404, ctx -> Replies.json(ctx, 404, Replies.message("No such resource")));
    router.errorHandler(
        405, ctx -> Replies.json(ctx, 405, Replies.message("Method not allowed on this resource")));
    router.errorHandler(500, ctx -> Replies.error(ctx, ctx.failure()));
  }
}
