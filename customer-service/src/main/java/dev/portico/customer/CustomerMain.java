package dev.portico.customer;

import dev.portico.runtime.ServiceMain;

/** Runs customer-service alone, configured by PORTICO_* variables. */
public final class CustomerMain {
  private CustomerMain() {}

  public static void main(String[] args) {
    ServiceMain.run((vertx, env) -> new CustomerService(vertx, CustomerConfig.read(env)));
  }
}
