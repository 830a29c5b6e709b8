package dev.portico.bench;

/**
 * Prints results as they arrive, so a long series shows progress and a crash keeps earlier rows.
 */
final class Reporter {
  private final boolean markdown;
  private boolean headerPrinted;

  Reporter(boolean markdown) {
    this.markdown = markdown;
  }

  void print(LoadResult result) {
    if (markdown && !headerPrinted) {
      System.out.println(LoadResult.markdownHeader());
      headerPrinted = true;
    }
    System.out.println(markdown ? result.markdownRow() : result.line());
    System.out.flush();
  }
}
