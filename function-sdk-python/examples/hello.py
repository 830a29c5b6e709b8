"""The example function in Python, as function-example's HelloHandler in Java:
GET /hello/{name} (or ?name=) answers {"message":"Hello, <name>!","stage":"<stage>"}.

Run: PORTICO_KAFKA_BOOTSTRAP=localhost:9092 python3 examples/hello.py
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the SDK of this checkout
from portico_function import json_response, serve  # noqa: E402

MAX_NAME_LENGTH = 64


def hello(event, context=None):
    name = (_non_blank(event.get("pathParameters"), "name")
            or _non_blank(event.get("queryStringParameters"), "name") or "world")
    if len(name) > MAX_NAME_LENGTH:
        return json_response(400, {"message": f"name must be at most {MAX_NAME_LENGTH} characters"})
    stage = (event.get("requestContext") or {}).get("stage")
    return json_response(200, {"message": f"Hello, {name}!", "stage": stage})


def _non_blank(parameters, name):
    value = (parameters or {}).get(name)
    return value if isinstance(value, str) and value.strip() else None


if __name__ == "__main__":
    serve(hello, topic=os.environ.get("PORTICO_FUNCTION_TOPIC") or "portico.fn.hello-python",
          create_topic=True)
