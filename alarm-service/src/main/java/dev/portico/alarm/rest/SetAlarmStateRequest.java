package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.contracts.Json;
import dev.portico.contracts.alarms.AlarmState;
import io.vertx.core.buffer.Buffer;
import java.util.Set;

/** Reads a SetAlarmState body: the state to set, stamped by the processor. */
final class SetAlarmStateRequest {
  private SetAlarmStateRequest() {}

  static AlarmState read(Buffer buffer) {
    Problems problems = new Problems();
    Body body =
        Body.parse(
            buffer,
            Set.of("AlarmName", "StateValue", "StateReason", "StateReasonData"),
            problems,
            false);
    String value = body.string("StateValue", true, 1, 32);
    if (value != null && !AlarmState.isValue(value)) {
      problems.add("StateValue must be OK, ALARM or INSUFFICIENT_DATA");
    }
    String reason = reason(body, problems);
    String data = null;
    JsonNode raw = body.raw("StateReasonData");
    if (raw != null && !raw.isNull()) {
      if (!raw.isTextual()) {
        problems.add("StateReasonData must be a string holding JSON");
      } else if (raw.asText().length() > 4000) {
        problems.add("StateReasonData must be at most 4000 characters");
      } else {
        try {
          Json.MAPPER.readTree(raw.asText());
          data = raw.asText();
        } catch (Exception e) {
          problems.add("StateReasonData must be valid JSON");
        }
      }
    }
    problems.throwIfAny();
    return new AlarmState(value, reason, data, 0, 0, true);
  }

  private static String reason(Body body, Problems problems) {
    JsonNode raw = body.raw("StateReason");
    if (raw == null || raw.isNull()) {
      problems.add("StateReason is required");
      return null;
    }
    if (!raw.isTextual()) {
      problems.add("StateReason must be a string");
      return null;
    }
    String reason = raw.asText();
    if (reason.codePointCount(0, reason.length()) > 1023) {
      problems.add("StateReason must be at most 1023 characters");
      return null;
    }
    return reason;
  }
}
