package dev.portico.metricmath;

/**
 * The timestamps a result may have: {@code start + k * step} in [start, end). FILL fills the
 * missing ones, and a scalar result is given at each of them.
 */
public record Grid(long start, long end, long step) {
  public Grid {
    if (step <= 0 || end < start) {
      throw new IllegalArgumentException("bad grid " + start + ".." + end + " step " + step);
    }
  }
}
