"""Portico function SDK for Python: ``serve(handler, topic=...)``; see README.md.

The Kafka loop needs confluent-kafka (Debian: python3-confluent-kafka); the protocol logic and the
metrics do not, so they import without it.
"""

from .protocol import FunctionContext, json_response

__all__ = ["serve", "PorticoFunction", "FunctionContext", "json_response"]


def serve(handler, **options):
    """Serves ``handler`` until SIGTERM or SIGINT; see function.serve."""
    from .function import serve as run

    run(handler, **options)


def __getattr__(name):
    if name == "PorticoFunction":
        from .function import PorticoFunction

        return PorticoFunction
    raise AttributeError(name)
