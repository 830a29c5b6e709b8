package dev.portico.table.expression;

/** One lexical unit of an expression, with its 0-based position for error messages. */
record Token(Kind kind, String text, int position) {
  enum Kind {
    /** A bare attribute name, keyword or function name. */
    NAME,
    /** {@code #name}: a placeholder from ExpressionAttributeNames. */
    NAME_PLACEHOLDER,
    /** {@code :value}: a placeholder from ExpressionAttributeValues. */
    VALUE_PLACEHOLDER,
    /** Digits: a list index. */
    INDEX,
    /** A number written inline (REST dialect only). */
    NUMBER,
    /** A quoted string written inline, unescaped (REST dialect only). */
    STRING,
    SYMBOL,
    END
  }

  boolean isSymbol(String symbol) {
    return kind == Kind.SYMBOL && text.equals(symbol);
  }

  boolean isKeyword(String keyword) {
    return kind == Kind.NAME && text.equalsIgnoreCase(keyword);
  }
}
