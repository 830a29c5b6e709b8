package dev.portico.alarm.model;

/**
 * One final value of one MetricStat entry of a metric-math alarm: the entry's statistic of its
 * metric's datapoint for the period starting at {@code timestamp} (epoch ms).
 */
public record InputPoint(String id, long timestamp, double value) {}
