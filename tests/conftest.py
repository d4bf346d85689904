import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_CASSETTE = ROOT / "tests" / "cassettes" / "seed_articles.yaml"
SEED_ARTICLES = ROOT / "data" / "articles"


def completion(content: str, finish_reason: str = "stop") -> dict:
    """The shape of an OpenAI chat-completion response, for the scripted server."""
    return {
        "id": "scripted", "object": "chat.completion", "created": 0, "model": "scripted",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


class ScriptedServer:
    """An OpenAI-compatible server on 127.0.0.1 that answers from a script of (status, body, headers).

    Each request takes the next entry; the last entry repeats. Requests are kept for inspection.
    """

    def __init__(self):
        self.script: list[tuple[int, object, dict]] = []
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
                index = min(len(server.requests), len(server.script)) - 1
                status, payload, headers = server.script[index]
                data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def answer(self, *entries):
        """Script entries: a dict/str body (status 200) or a (status, body, headers) tuple."""
        self.script = [entry if isinstance(entry, tuple) else (200, entry, {}) for entry in entries]
        self.requests.clear()


@pytest.fixture
def scripted_server():
    server = ScriptedServer()
    server._thread.start()
    yield server
    server._httpd.shutdown()
