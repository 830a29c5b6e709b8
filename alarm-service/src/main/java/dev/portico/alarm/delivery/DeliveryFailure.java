package dev.portico.alarm.delivery;

/**
 * A delivery attempt failed. Retryable failures (server unreachable, 4xx SMTP replies, HTTP 5xx or
 * 429) are tried again per the retry policy; permanent ones (the server rejected the recipient,
 * HTTP 4xx) are dead-lettered at once, since repeating them cannot help.
 */
public final class DeliveryFailure extends Exception {
  private final boolean permanent;

  public DeliveryFailure(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  public boolean permanent() {
    return permanent;
  }
}
