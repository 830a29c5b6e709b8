package dev.portico.edge.observe;

import dev.portico.runtime.ConfigReader;
import java.util.regex.Pattern;

/**
 * Where the dashboard's read-only proxy finds the state the page shows on open.
 *
 * @param alarmsUrl {@code PORTICO_EDGE_DASHBOARD_ALARMS_URL}: alarm-service's API (default: this
 *     host's {@code PORTICO_ALARM_PORT}, 8094), for every alarm's state and an alarm's history
 * @param metricsUrl {@code PORTICO_EDGE_DASHBOARD_METRICS_URL}: metrics-service's API (default:
 *     this host's {@code PORTICO_METRICS_PORT}, 8093), for the last hour of gateway datapoints
 */
public record DashboardSources(String alarmsUrl, String metricsUrl) {
  private static final Pattern URL = Pattern.compile("https?://[^\\s/?#]+(/[^\\s?#]*)?");

  public static DashboardSources read(ConfigReader env) {
    String host = env.string("PORTICO_HTTP_HOST", "0.0.0.0");
    String local = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return new DashboardSources(
        url(env, "PORTICO_EDGE_DASHBOARD_ALARMS_URL", local, env.port("PORTICO_ALARM_PORT", 8094)),
        url(
            env,
            "PORTICO_EDGE_DASHBOARD_METRICS_URL",
            local,
            env.port("PORTICO_METRICS_PORT", 8093)));
  }

  private static String url(ConfigReader env, String name, String host, int port) {
    String url =
        env.matching(
            name, "http://" + host + ":" + port, URL, "an http:// or https:// URL without query");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
