"""What a function has done, as counters and a histogram of handler times, and a tiny HTTP
endpoint serving them on /metrics in Prometheus' text format, under the same names as the Java and
Node.js SDKs. Request counts and handler times cover committed transactions only, so a batch that
was aborted and processed again counts once."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import protocol

COUNTERS = [
    ("requests", "portico_function_requests_total", "Request events consumed and committed."),
    ("replies", "portico_function_replies_total", "Response events sent and committed."),
    ("records", "portico_function_records_total",
     "Records the handler sent through context.send, committed."),
    ("handler_errors", "portico_function_handler_errors_total",
     "Requests answered 500 because the handler failed."),
    ("malformed", "portico_function_malformed_requests_total",
     "Request events that were not a request (answered 400 when a reply was wanted)."),
    ("expired", "portico_function_expired_requests_total",
     "Requests skipped because their deadline had passed."),
    ("aborted_transactions", "portico_function_aborted_transactions_total",
     "Transactions aborted after a Kafka error; their requests were processed again."),
]

DURATION = "portico_function_handler_duration_seconds"
# Upper bounds in seconds (then +Inf), the same in the three SDKs so their scrapes aggregate.
DURATION_BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]


class Counters:
    def __init__(self):
        self._lock = threading.Lock()
        for field, _, _ in COUNTERS:
            setattr(self, field, 0)
        self.duration_buckets = [0] * (len(DURATION_BOUNDS) + 1)  # per bucket, not cumulative
        self.duration_sum = 0.0

    def count(self, result: protocol.Result):
        """Counts one processed request."""
        with self._lock:
            self.requests += 1
            self.replies += 1 if result.replied else 0
            self.records += result.handler_records
            self.handler_errors += 1 if result.outcome == protocol.HANDLER_FAILED else 0
            self.malformed += 1 if result.outcome == protocol.MALFORMED else 0
            self.expired += 1 if result.outcome == protocol.EXPIRED else 0
            if result.handler_seconds is not None:
                self._observe(result.handler_seconds)

    def _observe(self, seconds: float):
        i = 0
        while i < len(DURATION_BOUNDS) and seconds > DURATION_BOUNDS[i]:
            i += 1
        self.duration_buckets[i] += 1
        self.duration_sum += seconds

    def add(self, other: "Counters"):
        snapshot = other.snapshot()
        buckets, total = other.durations()
        with self._lock:
            for field, value in snapshot.items():
                setattr(self, field, getattr(self, field) + value)
            self.duration_buckets = [a + b for a, b in zip(self.duration_buckets, buckets)]
            self.duration_sum += total

    def durations(self):
        """The handler-time histogram: counts per bucket (not cumulative) and the sum."""
        with self._lock:
            return list(self.duration_buckets), self.duration_sum

    def count_abort(self):
        with self._lock:
            self.aborted_transactions += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {field: getattr(self, field) for field, _, _ in COUNTERS}


def render(counters: Counters, topic: str) -> str:
    """Prometheus text format 0.0.4: one sample per counter, then the handler-time histogram,
    labelled with the function's topic."""
    fn = 'function="%s"' % topic.replace("\\", "\\\\").replace('"', '\\"')
    values = counters.snapshot()
    buckets, total = counters.durations()
    lines = [f"# HELP {name} {help}\n# TYPE {name} counter\n{name}{{{fn}}} {values[field]}\n"
             for field, name, help in COUNTERS]
    lines.append(f"# HELP {DURATION} How long the handler ran per request, committed requests only.\n")
    lines.append(f"# TYPE {DURATION} histogram\n")
    cumulative = 0
    for i, count in enumerate(buckets):
        cumulative += count
        le = str(DURATION_BOUNDS[i]) if i < len(DURATION_BOUNDS) else "+Inf"
        lines.append(f'{DURATION}_bucket{{{fn},le="{le}"}} {cumulative}\n')
    lines.append(f"{DURATION}_sum{{{fn}}} {float(total)!r}\n")
    lines.append(f"{DURATION}_count{{{fn}}} {cumulative}\n")
    return "".join(lines)


def serve_metrics(counters: Counters, topic: str, port: int, host: str = "0.0.0.0") -> ThreadingHTTPServer:
    """Serves GET /metrics on a daemon thread (port 0: any free port); returns the server."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?")[0] == "/metrics":
                body, status, kind = render(counters, topic).encode(), 200, \
                    "text/plain; version=0.0.4; charset=utf-8"
            else:
                body, status, kind = b'{"message":"Not Found"}', 404, "application/json"
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # scrapes are not worth a log line each
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="portico-metrics", daemon=True).start()
    return server
