package dev.portico.alarm.streams;

import dev.portico.alarm.eval.StatisticValue;
import dev.portico.alarm.notify.AlarmMessages;
import dev.portico.alarm.notify.MessageRenderer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * What the processors need besides their stores.
 *
 * @param clock evaluation time (injectable: tests move it); also stamps commands and history
 * @param tick how often the clock looks for overdue datapoints
 * @param deadline when a period's data is final: its end plus the grace of the tier it is read from
 *     plus a margin
 */
public record EvaluationSettings(
    Clock clock,
    Duration tick,
    DatapointDeadline deadline,
    StatisticValue statistics,
    AlarmMessages alarmMessages,
    MessageRenderer renderer,
    String fromName,
    MeterRegistry registry) {}
