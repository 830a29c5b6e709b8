"""The benchmark's echo function: answers 200 with the request's own body (bench/run-functions.sh)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the SDK of this checkout
from portico_function import serve  # noqa: E402


def echo(event, context):
    return {"statusCode": 200, "headers": {"content-type": "application/json"},
            "body": event.get("body") or "", "isBase64Encoded": event.get("isBase64Encoded") is True}


if __name__ == "__main__":
    serve(echo, topic=os.environ.get("PORTICO_FUNCTION_TOPIC") or "portico.bench.echo-python",
          create_topic=True)
