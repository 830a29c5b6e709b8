package dev.portico.kit.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Kafka 4 refuses every OAuth URL that the JVM-wide property {@code
 * org.apache.kafka.sasl.oauthbearer.allowed.urls} does not list (so that client configs from
 * untrusted parties cannot make a JVM fetch arbitrary URLs). Portico's OAuth URL comes from the
 * operator's own variable, so it is added to that list.
 */
final class OAuthUrls {
  static final String PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

  private OAuthUrls() {}

  static synchronized void allow(String url) {
    String current = System.getProperty(PROPERTY, "");
    List<String> urls = new ArrayList<>();
    Arrays.stream(current.split(","))
        .map(String::trim)
        .filter(u -> !u.isEmpty())
        .forEach(urls::add);
    if (!urls.contains(url)) {
      urls.add(url);
      System.setProperty(PROPERTY, String.join(",", urls));
    }
  }
}
