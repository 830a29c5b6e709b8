package dev.portico.customer;

import dev.portico.contracts.FunctionResponse;
import dev.portico.contracts.StreamRecord;
import java.util.List;

/**
 * What one command did: the response for the caller, and the change records it wrote, in order
 * (none for failed conditions, reads and no-op writes; two when a write first finds its item
 * expired: the TTL REMOVE, then the INSERT).
 */
public record Outcome(FunctionResponse response, List<StreamRecord> changes) {
  public Outcome {
    changes = List.copyOf(changes);
  }

  static Outcome reply(FunctionResponse response) {
    return new Outcome(response, List.of());
  }
}
