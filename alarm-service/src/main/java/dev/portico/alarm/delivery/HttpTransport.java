package dev.portico.alarm.delivery;

import dev.portico.contracts.alarms.Delivery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs the SNS-shaped JSON document to an http(s) subscription. 2xx is delivered; 429 and 5xx are
 * retried; any other status is a permanent failure (as SNS treats it).
 */
public final class HttpTransport implements Transport {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @Override
  public void send(Delivery d) throws DeliveryFailure {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(d.endpoint()))
            .timeout(TIMEOUT)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-portico-message-type", d.kind())
            .header("x-portico-message-id", d.messageId())
            .header("x-portico-topic", d.topicName())
            .POST(HttpRequest.BodyPublishers.ofString(d.body()))
            .build();
    int status;
    try {
      status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new DeliveryFailure("HTTP request failed: " + e, false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryFailure("Interrupted", false, e);
    }
    if (status >= 200 && status < 300) {
      return;
    }
    boolean retry = status == 429 || status >= 500;
    throw new DeliveryFailure("The endpoint answered HTTP " + status, !retry, null);
  }
}
