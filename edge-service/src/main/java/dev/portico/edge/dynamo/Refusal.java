package dev.portico.edge.dynamo;

import dev.portico.edge.dynamo.SignatureV4.Rejection;

/** A request's signature check ended early with this answer (an expected outcome: no stack). */
final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Rejection rejection;

  Refusal(Rejection rejection) {
    super(rejection.message(), null, false, false);
    this.rejection = rejection;
  }

  Rejection rejection() {
    return rejection;
  }
}
