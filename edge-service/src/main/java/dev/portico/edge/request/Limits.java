package dev.portico.edge.request;

/** The data plane's limits on a request's size (docs/gateway.md, Limits). */
public final class Limits {
  /** The largest body any integration takes: 10 MiB. */
  public static final long MAX_BODY_BYTES = 10L * 1024 * 1024;

  /** The longest URL (path and query string). */
  public static final int MAX_URL_BYTES = 8_192;

  /** The largest header block, counting header lines as sent: name, ": ", value, CRLF. */
  public static final int MAX_HEADER_BLOCK_BYTES = 10_240;

  private Limits() {}
}
