package dev.portico.stream;

import dev.portico.runtime.ConfigReader;
import dev.portico.runtime.HttpEndpoint;
import dev.portico.runtime.InstanceId;
import dev.portico.runtime.KafkaSettings;
import java.time.Duration;

/**
 * stream-service configuration.
 *
 * @param http {@code PORTICO_STREAM_PORT} (8092): the service's HTTP port: the stream reading API
 *     next to /health, /ready and /metrics
 * @param iteratorSecret {@code PORTICO_STREAM_ITERATOR_SECRET} (empty: a random key per process):
 *     the HMAC key that signs shard iterators. Replicas behind one load balancer must share it, or
 *     an iterator issued by one is refused by another; changing it invalidates open iterators
 * @param readerPool {@code PORTICO_STREAM_READER_POOL} (4, 1-64): pooled Kafka consumers serving
 *     stream reads; at most this many reads run at once, the others wait
 * @param readTimeout {@code PORTICO_STREAM_READ_TIMEOUT_MS} (2000, 100-30000): how long one read
 *     (or one iterator lookup) may spend fetching from Kafka before it returns what it has; also
 *     how long a request waits for a pooled consumer before a 503
 * @param instanceId {@code PORTICO_STREAM_INSTANCE_ID} (empty: dynamic group membership; the
 *     launcher sets an id kept in its data directory): this replica's stable identity, its static
 *     membership in the triggers' and the fan-out's consumer groups and its triggers' transactional
 *     id, so that one restarted after a crash takes its partitions back at once instead of after
 *     the dead member's session (45 s); distinct per replica
 */
public record StreamConfig(
    KafkaSettings kafka,
    HttpEndpoint http,
    String iteratorSecret,
    int readerPool,
    Duration readTimeout,
    String instanceId) {
  public static StreamConfig read(ConfigReader env) {
    return new StreamConfig(
        KafkaSettings.read(env),
        HttpEndpoint.read(env, "PORTICO_STREAM_PORT", 8092),
        env.string("PORTICO_STREAM_ITERATOR_SECRET", ""),
        env.integer("PORTICO_STREAM_READER_POOL", 4, 1, 64),
        env.millis(
            "PORTICO_STREAM_READ_TIMEOUT_MS",
            Duration.ofMillis(2000),
            Duration.ofMillis(100),
            Duration.ofMillis(30_000)),
        InstanceId.read(env, "PORTICO_STREAM_INSTANCE_ID"));
  }
}
