package dev.portico.alarm;

import dev.portico.runtime.ServiceMain;

/** Runs alarm-service alone, configured by PORTICO_* variables. */
public final class AlarmMain {
  private AlarmMain() {}

  public static void main(String[] args) {
    ServiceMain.run((vertx, env) -> new AlarmService(vertx, AlarmConfig.read(env)));
  }
}
