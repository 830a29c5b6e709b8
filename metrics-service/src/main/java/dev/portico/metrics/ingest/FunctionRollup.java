package dev.portico.metrics.ingest;

import dev.portico.metrics.model.CellId;
import java.util.List;
import java.util.Map;

/**
 * The coarser function cell a cell's samples also count in: {FunctionName, Stage} in {FunctionName}
 * when the period closes, so an invocation counts once per dimension set.
 */
public final class FunctionRollup {
  private FunctionRollup() {}

  public static List<CellId> coarserCells(CellId cell) {
    String function = cell.dimensions().get(FunctionMetrics.FUNCTION_NAME);
    if (function == null || cell.dimensions().size() == 1) {
      return List.of();
    }
    return List.of(CellId.of(cell.namespace(), Map.of(FunctionMetrics.FUNCTION_NAME, function)));
  }
}
