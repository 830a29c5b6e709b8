package dev.portico.customer.condition;

/** One lexical unit of a condition expression, with its 0-based position for error messages. */
record Token(Kind kind, String text, int position) {
  enum Kind {
    NAME,
    NUMBER,
    STRING,
    SYMBOL,
    END
  }

  boolean isSymbol(String symbol) {
    return kind == Kind.SYMBOL && text.equals(symbol);
  }
}
