package dev.portico.contracts.alarms;

/**
 * An alarm as every replica's API sees it: the value of the compacted alarms topic (keyed by name;
 * a tombstone means deleted). Written whenever the definition or the state changes.
 */
public record AlarmRecord(AlarmDefinition definition, AlarmState state) {}
