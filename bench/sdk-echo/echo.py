"""The echo function written with the Python SDK (function-sdk-python), as bench.jar's
sdk-echo-function is with the Java SDK and echo.js with the Node.js SDK: every request is answered
200 with its own body, exactly once through the SDK's transactions. Configured from the environment
(PORTICO_KAFKA_BOOTSTRAP, PORTICO_FUNCTION_TOPIC, PORTICO_FUNCTION_METRICS_PORT, ...). For
bench/run-sdk-functions.sh; needs confluent-kafka (Debian: apt-get install python3-confluent-kafka).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "function-sdk-python"))
from portico_function import serve  # noqa: E402


def echo(event, context=None):
    return {"statusCode": 200, "headers": {"content-type": "application/json"},
            "body": event.get("body") or "", "isBase64Encoded": event.get("isBase64Encoded") is True}


if __name__ == "__main__":
    serve(echo, group_id=os.environ.get("PORTICO_FUNCTION_GROUP") or "bench-sdk-echo-python",
          create_topic=True)
