package dev.portico.runtime;

/** A host and port an HTTP server binds to. */
public record HttpEndpoint(String host, int port) {
  public static HttpEndpoint read(ConfigReader env, String portVariable, int defaultPort) {
    return new HttpEndpoint(
        env.string("PORTICO_HTTP_HOST", "0.0.0.0"), env.port(portVariable, defaultPort));
  }

  /** A URL a person on this machine can open. */
  public String url(String path) {
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    return "http://" + shown + ":" + port + path;
  }
}
