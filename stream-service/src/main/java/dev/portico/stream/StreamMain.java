package dev.portico.stream;

import dev.portico.runtime.ServiceMain;

/** Runs stream-service alone, configured by PORTICO_* variables. */
public final class StreamMain {
  private StreamMain() {}

  public static void main(String[] args) {
    ServiceMain.run((vertx, env) -> new StreamService(vertx, StreamConfig.read(env)));
  }
}
