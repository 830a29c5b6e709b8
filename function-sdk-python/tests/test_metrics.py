import json
import re
import time
import unittest
import urllib.error
import urllib.request

from portico_function import protocol, settings
from portico_function.metrics import DURATION_BOUNDS, Counters, render, serve_metrics
from portico_function.protocol import (CORRELATION_ID, DEADLINE, REPLY_PARTITION, REPLY_TOPIC,
                                       Message, json_response, process_request)

SAMPLE = re.compile(r"^([a-z_]+(?:\{[^}]*\})?) (\S+)$", re.M)


def request(name, deadline_ms=None):
    """A request event as the edge sends it, for `name`, with a reply address."""
    deadline = deadline_ms if deadline_ms is not None else time.time() * 1000 + 60_000
    return Message("portico.fn.m", 0, 1, name.encode(),
                   json.dumps({"version": "2.0", "pathParameters": {"name": name}}).encode(),
                   [(CORRELATION_ID, name.encode()), (REPLY_TOPIC, b"portico.edge.replies"),
                    (REPLY_PARTITION, b"0"), (DEADLINE, str(int(deadline)).encode())])


def handler(event, context):
    name = event["pathParameters"]["name"]
    if name.startswith("slow"):
        time.sleep(0.06)
    if name.startswith("boom"):
        raise RuntimeError("failed on purpose")
    return json_response(200, {"name": name})


class MetricsTest(unittest.TestCase):
    def test_counters_count_outcomes_and_a_tally_is_added_once_committed(self):
        tally = Counters()
        tally.count(protocol.Result(protocol.ANSWERED, [], True, 2))
        tally.count(protocol.Result(protocol.HANDLER_FAILED, [], True, 0))
        tally.count(protocol.Result(protocol.MALFORMED, [], False, 0))
        tally.count(protocol.Result(protocol.EXPIRED, [], False, 0))
        totals = Counters()
        totals.add(tally)
        totals.count_abort()
        self.assertEqual({"requests": 4, "replies": 2, "records": 2, "handler_errors": 1,
                          "malformed": 1, "expired": 1, "aborted_transactions": 1}, totals.snapshot())

    def test_metrics_serves_the_handler_times_of_processed_requests_as_a_histogram(self):
        protocol.LOG.disabled = True
        try:
            tally = Counters()
            for name in ["a", "b", "c", "slow1", "slow2", "boom"]:
                tally.count(process_request(request(name), handler, time.time() * 1000))
            # Neither a malformed event nor an expired one runs the handler: no time observed.
            bad = request("x")
            tally.count(process_request(Message(bad.topic, 0, 2, None, b"nope", bad.headers),
                                        handler, time.time() * 1000))
            tally.count(process_request(request("late", time.time() * 1000 - 1), handler,
                                        time.time() * 1000))
        finally:
            protocol.LOG.disabled = False
        counters = Counters()
        counters.add(tally)  # committed
        server = serve_metrics(counters, "portico.fn.m", 0, "127.0.0.1")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/metrics") as response:
                text = response.read().decode()
        finally:
            server.shutdown()
            server.server_close()
        self.assertRegex(text, re.compile(
            r"^# TYPE portico_function_handler_duration_seconds histogram$", re.M))
        s = {m.group(1): float(m.group(2)) for m in SAMPLE.finditer(text)}
        fn = '{function="portico.fn.m"}'
        duration = "portico_function_handler_duration_seconds"

        def bucket(le):
            return s[f'{duration}_bucket{{function="portico.fn.m",le="{le}"}}']

        self.assertEqual(8, s["portico_function_requests_total" + fn])
        self.assertEqual(1, s["portico_function_handler_errors_total" + fn])
        self.assertEqual(6, s[duration + "_count" + fn], "six handler runs, the failed one too")
        self.assertEqual(6, bucket("+Inf"))
        self.assertLessEqual(bucket("0.05"), 4, "the two slow runs (60 ms asleep) are above 50 ms")
        self.assertGreaterEqual(s[duration + "_sum" + fn], 0.1, text)
        previous = 0
        for bound in DURATION_BOUNDS:
            self.assertGreaterEqual(bucket(str(bound)), previous, f"cumulative at {bound}")
            previous = bucket(str(bound))

    def test_metrics_serves_the_counters_in_prometheus_text_format(self):
        counters = Counters()
        counters.requests = 7
        server = serve_metrics(counters, 'portico.fn."x"', 0, "127.0.0.1")
        try:
            base = f"http://127.0.0.1:{server.server_port}"
            with urllib.request.urlopen(base + "/metrics") as response:
                self.assertTrue(response.headers["content-type"].startswith("text/plain; version=0.0.4"))
                text = response.read().decode()
            self.assertEqual(render(counters, 'portico.fn."x"'), text)
            self.assertRegex(text, re.compile(r"^# TYPE portico_function_requests_total counter$", re.M))
            self.assertRegex(text, re.compile(
                r'^portico_function_requests_total\{function="portico\.fn\.\\"x\\""\} 7$', re.M))
            with self.assertRaises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(base + "/other")
            self.assertEqual(404, missing.exception.code)
        finally:
            server.shutdown()
            server.server_close()

    def test_settings_code_wins_over_the_environment_which_wins_over_defaults(self):
        env = {"PORTICO_FUNCTION_TOPIC": "from-env", "PORTICO_KAFKA_BOOTSTRAP": "a:1",
               "PORTICO_FUNCTION_METRICS_PORT": "9400"}
        s = settings.read({"topic": "from-code"}, env)
        self.assertEqual(("from-code", "from-code", "a:1", 9400),
                         (s.topic, s.group_id, s.bootstrap_servers, s.metrics_port))
        self.assertEqual("from-env", settings.read({}, env).topic)
        self.assertIsNone(settings.read({"topic": "t"}, {}).metrics_port)
        with self.assertRaisesRegex(ValueError, "topic is required"):
            settings.read({}, {})
        with self.assertRaisesRegex(ValueError, "metrics_port"):
            settings.read({"topic": "t"}, {"PORTICO_FUNCTION_METRICS_PORT": "x"})
        self.assertEqual((2, 1), settings.read({"topic": "t", "create_topic": True},
                                               {"PORTICO_TOPIC_PARTITIONS": "2"}).create_topic)


if __name__ == "__main__":
    unittest.main()
