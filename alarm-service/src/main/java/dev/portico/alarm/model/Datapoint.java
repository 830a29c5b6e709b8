package dev.portico.alarm.model;

/**
 * One period's value of an alarm's statistic.
 *
 * @param timestamp epoch ms of the period's start
 * @param value the alarm's statistic (Maximum, p99, ...) of that period
 * @param sampleCount how many values the period had, for reason data
 */
public record Datapoint(long timestamp, double value, double sampleCount) {}
