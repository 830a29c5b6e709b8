"""A function's settings: each option given in code, else its environment variable, else the
default. Validated here, so a typo fails at start rather than at the first request."""

import os
import socket
import uuid
from dataclasses import dataclass, field
from typing import Dict, Optional

from . import kafka_env

ENV = {
    "bootstrap_servers": "PORTICO_KAFKA_BOOTSTRAP",
    "topic": "PORTICO_FUNCTION_TOPIC",
    "group_id": "PORTICO_FUNCTION_GROUP",
    "instance_id": "PORTICO_FUNCTION_INSTANCE",
    "metrics_port": "PORTICO_FUNCTION_METRICS_PORT",
    "metrics_host": "PORTICO_FUNCTION_METRICS_HOST",
    "session_timeout_ms": "PORTICO_FUNCTION_SESSION_TIMEOUT_MS",
    "partitions": "PORTICO_TOPIC_PARTITIONS",
    "replication_factor": "PORTICO_TOPIC_REPLICATION",
}


@dataclass(frozen=True)
class Settings:
    bootstrap_servers: str
    topic: str
    group_id: str
    instance_id: str
    metrics_port: Optional[int]
    metrics_host: str
    session_timeout_ms: int
    max_transaction_ms: int
    max_record_bytes: int
    create_topic: Optional[tuple]  # (partitions, replication factor) or None
    # librdkafka settings: the PORTICO_KAFKA_* security and pass-through variables, then the
    # kafka option. Never printed: it holds secrets.
    kafka: Dict[str, object] = field(default_factory=dict, repr=False)
    kafka_security: Optional[kafka_env.KafkaEnvironment] = field(default=None, repr=False)

    @property
    def transactional_id(self) -> str:
        return f"{self.group_id}-{self.instance_id}"


def read(options: dict, env=None) -> Settings:
    env = os.environ if env is None else env

    def pick(name, default):
        if options.get(name) is not None:
            return options[name]
        value = env.get(ENV[name], "").strip()
        return value if value else default

    def integer(name, default, minimum):
        value = pick(name, default)
        if value is None:
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or number < minimum:
            raise ValueError(f"{name} ({ENV[name]}) must be an integer >= {minimum}, got {value!r}")
        return number

    topic = pick("topic", None)
    if not topic:
        raise ValueError(f"topic is required (option topic or {ENV['topic']})")
    create = None
    if options.get("create_topic"):
        create = (integer("partitions", 4, 1), integer("replication_factor", 1, 1))
    secured = kafka_env.read(env)
    return Settings(
        bootstrap_servers=pick("bootstrap_servers", secured.file_bootstrap or "localhost:9092"),
        topic=topic,
        group_id=pick("group_id", topic),
        instance_id=pick("instance_id", f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"),
        metrics_port=integer("metrics_port", None, 0),
        metrics_host=pick("metrics_host", "0.0.0.0"),
        session_timeout_ms=integer("session_timeout_ms", 45000, 1),
        max_transaction_ms=int(options.get("max_transaction_ms", 100)),
        max_record_bytes=int(options.get("max_record_bytes", 1024 * 1024)),
        create_topic=create,
        kafka={**secured.config, **(options.get("kafka") or {})},
        kafka_security=secured,
    )
