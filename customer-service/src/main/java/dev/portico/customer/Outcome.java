package dev.portico.customer;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.StreamRecord;

/**
 * What one command did: the response for the caller, and the change record when the table changed
 * ({@code null} otherwise: failed conditions, reads and no-op writes write none).
 */
public record Outcome(FunctionResponse response, StreamRecord change) {
  static Outcome reply(FunctionResponse response) {
    return new Outcome(response, null);
  }
}
