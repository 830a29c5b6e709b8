package dev.portico.contracts.edge;

/** A token bucket: {@code burstLimit} tokens at most, refilled at {@code rateLimit} per second. */
public record ThrottleSettings(double rateLimit, int burstLimit) {}
