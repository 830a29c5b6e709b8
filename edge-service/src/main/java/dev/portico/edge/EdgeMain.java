package dev.portico.edge;

import dev.portico.runtime.ServiceMain;

/**
 * Runs edge-service alone: {@code java -jar edge-service.jar}, configured by PORTICO_* variables.
 */
public final class EdgeMain {
  private EdgeMain() {}

  public static void main(String[] args) {
    ServiceMain.run((vertx, env) -> new EdgeService(vertx, EdgeConfig.read(env)));
  }
}
