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
 * @param datapointDelay how long after a period ends its final datapoint may still arrive
 */
public record EvaluationSettings(
    Clock clock,
    Duration tick,
    Duration datapointDelay,
    StatisticValue statistics,
    AlarmMessages alarmMessages,
    MessageRenderer renderer,
    String fromName,
    MeterRegistry registry) {}
