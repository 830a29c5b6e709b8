package dev.portico.kafka.embedded;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The child broker's {@code broker.log}, read for what the broker is doing right now: its latest
 * log event written since this start (the file is appended to across restarts).
 */
final class BrokerLog {
  /** {@code [2026-12-05 17:29:00,864] INFO [BrokerServer id=1] Starting broker (logger)}. */
  private static final Pattern EVENT =
      Pattern.compile("^\\[[^\\]]+\\] [A-Z]+ (.*?)(?: \\([\\w.$]+\\))?$");

  private static final int TAIL_BYTES = 64 * 1024;
  private static final int MAX_EVENT_CHARS = 300;

  private final Path file;
  private final long start;

  private BrokerLog(Path file, long start) {
    this.file = file;
    this.start = start;
  }

  /** Remembers where the file ends now: older events belong to earlier runs. */
  static BrokerLog from(Path file) throws IOException {
    return new BrokerLog(file, Files.exists(file) ? Files.size(file) : 0);
  }

  Path file() {
    return file;
  }

  /**
   * The message of the latest event logged since {@link #from}, shortened to a line's length; empty
   * before the broker logged anything.
   */
  Optional<String> latestEvent() {
    String tail;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.max(start, in.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (in.length() - from)];
      in.seek(from);
      in.readFully(bytes);
      tail = new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException unreadable) {
      return Optional.empty();
    }
    String[] lines = tail.split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      Matcher event = EVENT.matcher(lines[i]);
      if (event.matches()) {
        String message = event.group(1);
        // A fatal error's reason is the exception's own first line, below the event.
        boolean hasException = i + 1 < lines.length && !lines[i + 1].isBlank();
        return Optional.of(shorten(hasException ? message + ": " + lines[i + 1] : message));
      }
    }
    return Optional.empty();
  }

  /** What to say about the broker's state in a message: its latest event, or that it has none. */
  String describeLatest() {
    return latestEvent()
        .map(message -> "its last log line: " + message)
        .orElse("it has logged nothing yet");
  }

  private static String shorten(String message) {
    return message.length() <= MAX_EVENT_CHARS
        ? message
        : message.substring(0, MAX_EVENT_CHARS) + "...";
  }
}
