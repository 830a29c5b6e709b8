package dev.portico.contracts.alarms;

/** One dimension of a metric: a name and a value (CloudWatch's {@code {Name, Value}}). */
public record Dimension(String name, String value) {}
