package dev.portico.table.catalog;

import dev.portico.table.value.InvalidValueException;
import java.util.regex.Pattern;

/** DynamoDB's rule for table (and index) names: 3 to 255 of {@code [a-zA-Z0-9_.-]}. */
public final class TableNames {
  public static final int MIN_LENGTH = 3;
  public static final int MAX_LENGTH = 255;
  private static final Pattern ALLOWED = Pattern.compile("[a-zA-Z0-9_.-]+");

  private TableNames() {}

  /**
   * @param member the request member that names it, as DynamoDB's messages call it ({@code
   *     tableName})
   * @throws InvalidValueException missing, too short, too long or with another character
   */
  public static String check(String name, String member) {
    if (name == null) {
      throw new InvalidValueException(
          "1 validation error detected: Value null at '"
              + member
              + "' failed to satisfy constraint: Member must not be null");
    }
    String problem =
        name.length() < MIN_LENGTH
            ? "Member must have length greater than or equal to " + MIN_LENGTH
            : name.length() > MAX_LENGTH
                ? "Member must have length less than or equal to " + MAX_LENGTH
                : !ALLOWED.matcher(name).matches()
                    ? "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
                    : null;
    if (problem != null) {
      throw new InvalidValueException(
          "1 validation error detected: Value '"
              + name
              + "' at '"
              + member
              + "' failed to satisfy constraint: "
              + problem);
    }
    return name;
  }
}
