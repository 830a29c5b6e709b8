"""A keep-alive HTTP/1.1 backend on python's http.server, as many teams run one. It answers every
request with what it received (method, path, headers, body size) and prints its port on the
first line of stdout. Like most handlers written on http.server, it reads a body only for POST, PUT and
PATCH: a GET, HEAD, DELETE or OPTIONS that carries one (an empty chunked body, say) leaves it on
the connection, where it is read as the next request line and breaks the connection.

/drop-reused answers the first request of a connection and closes the connection, unanswered, at
the second: a backend that closed a kept-alive connection just as the proxy sent on it."""
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, reads_body=False):
        self.served = getattr(self, "served", 0) + 1
        if self.path.startswith("/drop-reused") and self.served > 1:
            self.close_connection = True
            return
        body = b""
        if reads_body and self.headers.get("transfer-encoding", "").lower() == "chunked":
            body = self.read_chunked()
        elif reads_body:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
        out = json.dumps({
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "bodyBytes": len(body),
        }).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.send_header("x-seen-transfer-encoding", self.headers.get("transfer-encoding", "none"))
        self.send_header("x-seen-content-length", self.headers.get("content-length", "none"))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(out)

    def read_chunked(self):
        body = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return body
            body += self.rfile.read(size)
            self.rfile.readline()

    def with_body(self):
        self.answer(reads_body=True)

    do_GET = do_HEAD = do_DELETE = do_OPTIONS = answer
    do_POST = do_PUT = do_PATCH = with_body

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
