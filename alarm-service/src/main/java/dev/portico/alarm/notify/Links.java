package dev.portico.alarm.notify;

import dev.portico.contracts.alarms.Subscription;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The URLs messages carry: the subscription links under the service's public base URL, and the
 * alarm's view in the live dashboard (its state, reason and history), which people can read, rather
 * than the raw API.
 */
public record Links(String publicUrl, String dashboardUrl) {
  public String alarm(String alarmName) {
    return dashboardUrl + "#alarm=" + encode(alarmName);
  }

  public String confirm(String subscriptionId, String token) {
    return publicUrl + "/subscriptions/" + subscriptionId + "/confirm?token=" + encode(token);
  }

  public String unsubscribe(Subscription subscription) {
    return publicUrl
        + "/subscriptions/"
        + subscription.id()
        + "/unsubscribe?token="
        + encode(subscription.unsubscribeToken());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
