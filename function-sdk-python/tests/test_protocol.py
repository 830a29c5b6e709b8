import json
import sys
import unittest
from pathlib import Path

from portico_function import protocol
from portico_function.protocol import (CORRELATION_ID, DEADLINE, REPLY_PARTITION, REPLY_TOPIC,
                                       Message, json_response, process_request, response_problem)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from hello import hello  # noqa: E402

NOW = 1_800_000_000_000
HEADERS = [(CORRELATION_ID, b"c-1"), (REPLY_TOPIC, b"portico.edge.replies"),
           (REPLY_PARTITION, b"3"), (DEADLINE, str(NOW + 5000).encode())]


def message(value=json.dumps({"version": "2.0", "pathParameters": {"name": "Ada"}}), headers=None):
    return Message("portico.fn.hello", 2, 41, b"Ada", None if value is None else value.encode(),
                   HEADERS if headers is None else headers)


def run(msg, handler, now=NOW, **kwargs):
    return process_request(msg, handler, now, **kwargs)


def body(record):
    return json.loads(json.loads(record.value)["body"])


class ProtocolTest(unittest.TestCase):
    def setUp(self):
        protocol.LOG.disabled = True

    def tearDown(self):
        protocol.LOG.disabled = False

    def test_the_reply_goes_to_exactly_the_reply_topic_and_partition_with_the_protocol_headers(self):
        result = run(message(), lambda event, context: json_response(200, {"ok": True}))
        self.assertEqual(protocol.ANSWERED, result.outcome)
        self.assertTrue(result.replied)
        [reply] = result.records
        self.assertEqual(("portico.edge.replies", 3, "c-1"), (reply.topic, reply.partition, reply.key))
        self.assertEqual([("portico-correlation-id", "c-1"), ("portico-event-id", "c-1"),
                          ("portico-event-type", "FunctionResponse"), ("portico-schema-version", "1")],
                         reply.headers)
        self.assertEqual({"statusCode": 200, "headers": {"content-type": "application/json"},
                          "body": '{"ok":true}', "isBase64Encoded": False}, json.loads(reply.value))

    def test_the_last_header_of_a_repeated_name_wins(self):
        headers = HEADERS + [(CORRELATION_ID, b"c-2"), (REPLY_PARTITION, b"0")]
        [reply] = run(message(headers=headers), lambda e, c: json_response(200, {})).records
        self.assertEqual(("c-2", 0), (reply.key, reply.partition))

    def test_a_request_past_its_deadline_is_skipped(self):
        calls = []
        result = run(message(), lambda e, c: calls.append(e) or json_response(200, {}), now=NOW + 5001)
        self.assertEqual((protocol.EXPIRED, [], []), (result.outcome, result.records, calls))

    def test_an_unreadable_deadline_means_none(self):
        headers = HEADERS[:3] + [(DEADLINE, b"soon")]
        self.assertEqual(protocol.ANSWERED,
                         run(message(headers=headers), lambda e, c: json_response(200, {})).outcome)

    def test_a_value_that_is_not_a_json_object_is_answered_400(self):
        for value in ["not json", "[1,2]", "42", None]:
            result = run(message(value), lambda e, c: json_response(200, {}))
            self.assertEqual(protocol.MALFORMED, result.outcome, value)
            self.assertEqual({"message": "Malformed request event"}, body(result.records[0]))

    def test_a_failing_handler_is_answered_500_and_its_records_are_discarded(self):
        def failing(event, context):
            context.send("audit", "k", "v")
            raise RuntimeError("boom")

        result = run(message(), failing)
        self.assertEqual(protocol.HANDLER_FAILED, result.outcome)
        self.assertEqual(["portico.edge.replies"], [r.topic for r in result.records])
        self.assertEqual({"message": "Internal server error"}, body(result.records[0]))

    def test_a_response_that_is_not_a_response_event_is_answered_500(self):
        for bad in [None, {"statusCode": 99}, {"statusCode": True}, {"statusCode": 200, "body": {"a": 1}},
                    {"statusCode": 200, "headers": {"n": 1}}, {"statusCode": "200"}]:
            self.assertEqual(protocol.HANDLER_FAILED, run(message(), lambda e, c: bad).outcome, bad)
        self.assertIsNone(response_problem({"statusCode": 204}))

    def test_handler_records_come_before_the_reply(self):
        def auditing(event, context):
            context.send("audit", "Ada", "hello")
            return json_response(200, {})

        result = run(message(), auditing)
        self.assertEqual(["audit", "portico.edge.replies"], [r.topic for r in result.records])
        self.assertEqual(1, result.handler_records)

    def test_a_record_larger_than_the_producer_accepts_is_a_500(self):
        def big(event, context):
            context.send("audit", "k", "x" * 2000)
            return json_response(200, {})

        result = run(message(), big, max_record_bytes=1000)
        self.assertEqual((protocol.HANDLER_FAILED, 0), (result.outcome, result.handler_records))

    def test_an_asynchronous_invocation_runs_the_handler_and_sends_no_reply(self):
        def handler(event, context):
            self.assertFalse(context.expects_reply)
            context.send("audit", None, "x")
            return json_response(200, {})

        result = run(message(headers=[]), handler)
        self.assertEqual((False, ["audit"]), (result.replied, [r.topic for r in result.records]))

    def test_a_bad_reply_partition_runs_the_handler_and_drops_the_reply(self):
        calls = []
        headers = HEADERS[:2] + [(REPLY_PARTITION, b"-1")]
        result = run(message(headers=headers), lambda e, c: calls.append(e) or json_response(200, {}))
        self.assertEqual((1, False, []), (len(calls), result.replied, result.records))

    def test_a_1_0_event_reaches_the_handler_as_sent_with_its_context(self):
        v1 = {"version": "1.0", "httpMethod": "GET", "resource": "/hello/{name}",
              "multiValueHeaders": {"A": ["1", "2"]}}
        seen = {}
        run(message(json.dumps(v1)), lambda e, c: seen.update(event=e, context=c) or json_response(200, {}))
        context = seen["context"]
        self.assertEqual(v1, seen["event"])
        self.assertEqual(("1.0", "c-1", NOW + 5000, "Ada", 2),
                         (context.payload_format_version, context.correlation_id, context.deadline,
                          context.key, context.partition))
        self.assertEqual("3", context.headers["portico-reply-partition"])

    def test_the_hello_example_greets_as_the_java_example_does(self):
        def greet(event):
            response = hello(event)
            return response["statusCode"], json.loads(response["body"])

        self.assertEqual((200, {"message": "Hello, Ada!", "stage": "prod"}),
                         greet({"pathParameters": {"name": "Ada"}, "requestContext": {"stage": "prod"}}))
        self.assertEqual((200, {"message": "Hello, Bo!", "stage": None}),
                         greet({"queryStringParameters": {"name": "Bo"}}))
        self.assertEqual((200, {"message": "Hello, world!", "stage": None}),
                         greet({"pathParameters": {"name": " "}}))
        self.assertEqual(400, greet({"pathParameters": {"name": "x" * 65}})[0])


if __name__ == "__main__":
    unittest.main()
