import re
import unittest
import urllib.error
import urllib.request

from portico_function import protocol, settings
from portico_function.metrics import Counters, render, serve_metrics


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
