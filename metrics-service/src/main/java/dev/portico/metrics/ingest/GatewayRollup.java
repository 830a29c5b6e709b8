package dev.portico.metrics.ingest;

import dev.portico.metrics.model.CellId;
import java.util.List;
import java.util.Map;

/**
 * The coarser gateway cells a cell's samples also count in. Events are aggregated in exactly one
 * cell, the most specific they name: an HTTP request's {ApiName, Stage, Method, Resource}, a
 * WebSocket event's {ApiName, Stage, Route}, or {ApiName, Stage} when the event has no route (a
 * WebSocket message no route took, an HTTP request without method or resource). When a period
 * closes, each of those cells is also counted in {ApiName, Stage} and {ApiName}; an {ApiName,
 * Stage} cell only in {ApiName}; an {ApiName} cell in nothing. So every event counts once per
 * dimension set, whichever kind of most specific cell it came from.
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
    // {ApiName, Stage, Method, Resource} or {ApiName, Stage, Route}.
    return List.of(
        CellId.of(
            cell.namespace(), Map.of(GatewayMetrics.API_NAME, api, GatewayMetrics.STAGE, stage)),
        apiOnly);
  }
}
