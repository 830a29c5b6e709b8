package dev.portico.edge.config;

/** A token bucket: {@code burstLimit} tokens at most, refilled at {@code rateLimit} per second. */
public record ThrottleSettings(double rateLimit, int burstLimit) {}
