package dev.portico.alarm.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The URLs messages carry, all under the service's public base URL. */
public record Links(String publicUrl) {
  public String alarm(String alarmName) {
    return publicUrl + "/alarms/" + encode(alarmName);
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
