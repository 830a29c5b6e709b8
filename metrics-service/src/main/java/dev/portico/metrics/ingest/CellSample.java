package dev.portico.metrics.ingest;

import dev.portico.metrics.model.CellId;
import java.util.List;

/**
 * What one input event contributes: samples of some metrics of one cell at one time.
 *
 * @param timestamp epoch milliseconds the samples belong to (event time)
 * @param highResolution also aggregate at 1-second resolution (CloudWatch's StorageResolution 1)
 */
public record CellSample(
    CellId cell, long timestamp, boolean highResolution, List<MetricSample> metrics) {}
