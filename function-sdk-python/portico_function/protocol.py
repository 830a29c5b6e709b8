"""The function protocol (docs/function-protocol.md) as pure logic.

Reads one request event and returns the records to produce for it: the handler's records and the
response event addressed to the waiting edge. No Kafka I/O here, so every rule is unit-testable;
the transactional loop (function.py) sends the result. A bad event never stops the function: an
unreadable request is answered 400, a failing handler 500, and the next request is served.
"""

import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

LOG = logging.getLogger("portico_function")

EVENT_ID = "portico-event-id"
EVENT_TYPE = "portico-event-type"
SCHEMA_VERSION = "portico-schema-version"
CORRELATION_ID = "portico-correlation-id"
REPLY_TOPIC = "portico-reply-topic"
REPLY_PARTITION = "portico-reply-partition"
DEADLINE = "portico-deadline"

ANSWERED = "answered"  # the handler answered (a reply was sent if one was wanted)
HANDLER_FAILED = "handler_failed"  # 500, the handler's records discarded
MALFORMED = "malformed"  # not a request event: 400 if a reply was wanted
EXPIRED = "expired"  # past its deadline: no handler call, nothing sent

# Kafka's default max.request.size: a larger record would fail the transaction on every retry.
DEFAULT_MAX_RECORD_BYTES = 1024 * 1024

_DIGITS = re.compile(r"^\s*\d+\s*$")


def json_response(status_code: int, body: Any, headers: Optional[Dict[str, str]] = None) -> dict:
    """A response event with a JSON body and ``content-type: application/json``."""
    return {
        "statusCode": status_code,
        "headers": {"content-type": "application/json", **(headers or {})},
        "body": json.dumps(body, separators=(",", ":"), ensure_ascii=False),
        "isBase64Encoded": False,
    }


MALFORMED_REQUEST = json_response(400, {"message": "Malformed request event"})
INTERNAL_ERROR = json_response(500, {"message": "Internal server error"})


@dataclass(frozen=True)
class Message:
    """The parts of a Kafka record the protocol reads (confluent_kafka.Message has them as methods)."""

    topic: str
    partition: int
    offset: int
    key: Optional[bytes]
    value: Optional[bytes]
    headers: List[Tuple[str, Optional[bytes]]]

    @staticmethod
    def of(record) -> "Message":
        return Message(record.topic(), record.partition(), record.offset(), record.key(),
                       record.value(), record.headers() or [])


def text_headers(headers) -> Dict[str, str]:
    """Every header as text; the last one wins when a name repeats."""
    out = {}
    for name, value in headers or []:
        out[name] = None if value is None else value.decode("utf-8", "replace")
    return out


class BadReplyAddress(ValueError):
    pass


@dataclass(frozen=True)
class ReplyAddress:
    topic: str
    partition: int
    correlation_id: str
    deadline: Optional[int]  # epoch ms; None: no deadline

    @staticmethod
    def of(headers: Dict[str, str]) -> Optional["ReplyAddress"]:
        """None for an asynchronous invocation; BadReplyAddress for an unusable partition."""
        topic = headers.get(REPLY_TOPIC)
        partition = headers.get(REPLY_PARTITION)
        correlation_id = headers.get(CORRELATION_ID)
        if topic is None or partition is None or correlation_id is None:
            return None
        if not _DIGITS.match(partition) or int(partition) > 2**31 - 1:
            raise BadReplyAddress(
                f"bad reply partition '{partition}' in the request of {correlation_id}")
        deadline = headers.get(DEADLINE)
        # A missing or unreadable deadline means none.
        return ReplyAddress(topic, int(partition), correlation_id,
                            int(deadline) if deadline is not None and _DIGITS.match(deadline) else None)

    def expired_at(self, now_ms: float) -> bool:
        return self.deadline is not None and now_ms > self.deadline

    def reply(self, response: dict) -> "Record":
        cid = self.correlation_id
        return Record(self.topic, cid, json.dumps(response, separators=(",", ":"), ensure_ascii=False).encode(),
                      partition=self.partition,
                      headers=[(CORRELATION_ID, cid),
                               # The correlation id as the event id: a reply produced again after a
                               # retry keeps its id.
                               (EVENT_ID, cid),
                               (EVENT_TYPE, "FunctionResponse"),
                               (SCHEMA_VERSION, "1")])


@dataclass
class Record:
    topic: str
    key: Optional[str]
    value: Optional[bytes]
    partition: Optional[int] = None
    headers: List[Tuple[str, str]] = field(default_factory=list)

    def size(self) -> int:
        """About the bytes it takes in a produce request (a little over, never under)."""
        size = 64 + len(self.topic.encode())
        size += len(self.key.encode()) if self.key is not None else 0
        size += len(self.value) if self.value is not None else 0
        for name, value in self.headers:
            size += 8 + len(name.encode()) + (len(value.encode()) if value is not None else 0)
        return size


class FunctionContext:
    """What a handler knows beyond the event, and its way to emit records into the function's
    transaction (visible only if the response commits)."""

    def __init__(self, message: Message, address: Optional[ReplyAddress], max_record_bytes: int,
                 payload_format_version: str):
        self.topic = message.topic
        self.partition = message.partition
        self.offset = message.offset
        self.key = None if message.key is None else message.key.decode("utf-8", "replace")
        self.headers = text_headers(message.headers)
        self.correlation_id = address.correlation_id if address else None
        self.deadline = address.deadline if address else None
        self.expects_reply = address is not None
        self.payload_format_version = payload_format_version
        self.sent: List[Record] = []
        self._max_record_bytes = max_record_bytes

    def send(self, topic: str, key: Optional[str], value, headers: Optional[Dict[str, str]] = None):
        """Sends a record in the function's transaction; ``value`` str, bytes or None."""
        if isinstance(value, str):
            value = value.encode()
        record = Record(topic, None if key is None else str(key), value,
                        headers=list((headers or {}).items()))
        if record.size() > self._max_record_bytes:
            raise ValueError(f"a record of about {record.size()} bytes for {topic} exceeds the "
                             f"producer's limit of {self._max_record_bytes} bytes")
        self.sent.append(record)


@dataclass(frozen=True)
class Result:
    outcome: str
    records: List[Record]  # everything to produce for this request, reply last
    replied: bool
    handler_records: int
    handler_seconds: Optional[float] = None  # how long the handler ran (failed runs too), None if not called


def response_problem(response) -> Optional[str]:
    """Why a handler's answer is not a response event, or None when it is one."""
    if not isinstance(response, dict):
        return "the handler returned no response dict"
    status = response.get("statusCode")
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        return f"the handler returned status {status!r}, outside 100-599"
    headers = response.get("headers")
    if headers is not None:
        if not isinstance(headers, dict):
            return "the handler returned headers that are not a dict"
        for name, value in headers.items():
            if not isinstance(name, str) or not isinstance(value, str):
                return f"the handler returned header {name!r} with a value that is not a str"
    body = response.get("body")
    if body is not None and not isinstance(body, str):
        return "the handler returned a body that is not a str (json.dumps it, or use json_response)"
    encoded = response.get("isBase64Encoded")
    if encoded is not None and not isinstance(encoded, bool):
        return "the handler returned an isBase64Encoded that is not a bool"
    return None


def where(message: Message) -> str:
    key = "" if message.key is None else f" (key {message.key.decode('utf-8', 'replace')})"
    return f"{message.topic}-{message.partition}@{message.offset}{key}"


def process_request(message: Message, handler: Callable, now_ms: float,
                    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> Result:
    """Turns one request event into what to produce for it."""
    try:
        address = ReplyAddress.of(text_headers(message.headers))
    except BadReplyAddress as e:
        # Served like an asynchronous invocation: the work is done, the reply cannot be delivered.
        LOG.warning("Dropping the reply to %s: %s", where(message), e)
        address = None

    def answer_only(outcome, response, handler_seconds=None):
        if address is None:
            return Result(outcome, [], False, 0, handler_seconds)
        return Result(outcome, [address.reply(response)], True, 0, handler_seconds)

    event = _parse(message.value)
    if event is None:
        LOG.warning("Request event %s is not a request event", where(message))
        return answer_only(MALFORMED, MALFORMED_REQUEST)
    if address is not None and address.expired_at(now_ms):
        # Nobody waits any more: the edge would drop the reply as late. Skipping the work also
        # keeps a backlog of stale requests from delaying fresh ones.
        return Result(EXPIRED, [], False, 0)
    version = "1.0" if event.get("version") == "1.0" else "2.0"
    context = FunctionContext(message, address, max_record_bytes, version)
    started = time.perf_counter()
    handler_seconds = None
    try:
        response = handler(event, context)
        handler_seconds = time.perf_counter() - started
        problem = response_problem(response)
        if problem is not None:
            raise ValueError(problem)
    except Exception:  # one bad request must never stop the function
        if handler_seconds is None:
            handler_seconds = time.perf_counter() - started
        LOG.exception("The handler failed on %s; answering 500", where(message))
        return answer_only(HANDLER_FAILED, INTERNAL_ERROR, handler_seconds)
    records = list(context.sent)
    if address is not None:
        reply = address.reply(response)
        if reply.size() > max_record_bytes:
            LOG.error("The response to %s is larger than %d bytes; answering 500",
                      where(message), max_record_bytes)
            return answer_only(HANDLER_FAILED, INTERNAL_ERROR, handler_seconds)
        records.append(reply)
    return Result(ANSWERED, records, address is not None, len(context.sent), handler_seconds)


def _parse(value: Optional[bytes]) -> Optional[dict]:
    """The event as a dict, or None when the value is not a JSON object."""
    if value is None:
        return None
    try:
        event = json.loads(value)
    except (ValueError, UnicodeDecodeError):
        return None
    return event if isinstance(event, dict) else None
