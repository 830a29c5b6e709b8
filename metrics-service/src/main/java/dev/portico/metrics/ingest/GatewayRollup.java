package dev.portico.metrics.ingest;

import dev.portico.metrics.model.CellId;
import java.util.List;
import java.util.Map;

/**
 * The coarser gateway cells a cell's samples also count in: {ApiName, Stage, Method, Resource} also
 * counts in {ApiName, Stage} and {ApiName}; {ApiName, Stage} also in {ApiName}.
 */
public final class GatewayRollup {
  private GatewayRollup() {}

  public static List<CellId> coarserCells(CellId cell) {
    var dimensions = cell.dimensions();
    String api = dimensions.get(GatewayMetrics.API_NAME);
    String stage = dimensions.get(GatewayMetrics.STAGE);
    if (api == null || stage == null) {
      return List.of();
    }
    CellId apiOnly = CellId.of(cell.namespace(), Map.of(GatewayMetrics.API_NAME, api));
    if (dimensions.size() == 2) {
      return List.of(apiOnly);
    }
    return List.of(
        CellId.of(
            cell.namespace(), Map.of(GatewayMetrics.API_NAME, api, GatewayMetrics.STAGE, stage)),
        apiOnly);
  }
}
