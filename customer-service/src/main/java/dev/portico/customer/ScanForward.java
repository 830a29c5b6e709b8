package dev.portico.customer;

/** A scan command on its way to the partition its cursor names; the value is the original event. */
record ScanForward(int partition, byte[] value) {}
