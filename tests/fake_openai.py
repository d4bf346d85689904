"""A fake OpenAI-compatible server on 127.0.0.1 for tests and benchmarks: scripted answers,
faults (errors, hangs, dropped connections), latency, and an enforced rate limit."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def completion(content: str, finish_reason: str = "stop") -> dict:
    """The shape of an OpenAI chat-completion response, for the scripted server."""
    return {
        "id": "scripted", "object": "chat.completion", "created": 0, "model": "scripted",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def valid_answer(request: dict) -> dict:
    """A minimal valid completion for whichever focused question the request asks (by its schema
    name): the first line of the article as the one leader's evidence, empty lists elsewhere."""
    name = request["response_format"]["json_schema"]["name"]
    article = request["messages"][1]["content"].split('"""\n', 1)[1].split("\n", 1)[0]
    answers = {
        "PeopleAnswer": {"leaders": [{"evidence": article, "name": "Alma Rivera", "title": None, "country": "Norland"}],
                         "delegation_members": []},
        "LaunchesAnswer": {"missile_launches": []},
        "SanctionsAnswer": {"sanctions_statements": []},
        "SummitAnswer": {"summit": None, "outcomes": []},
    }
    return completion(json.dumps(answers[name]))


def write_articles(folder, count, prefix="Geneva"):
    """`count` short article files about one made-up summit, each distinct ('meeting N')."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"{prefix.lower()}{number:02d}.txt").write_text(
            f" date 2024-03-05 Leaders meet in {prefix}\n"
            f"President Alma Rivera of Norland met Prime Minister Tomas Berg of Sudmark in {prefix} on Monday, meeting {number}.\n"
            f"Rivera said Norland and Sudmark agreed to reopen the border at Kell, Berg told reporters in {prefix}.\n",
            encoding="utf-8",
        )
    return folder


class ScriptedServer:
    """An OpenAI-compatible server on 127.0.0.1 that answers from a script.

    Entries: a (status, body, headers) tuple; ("hang", seconds) to answer nothing for a while;
    ("drop",) to close the connection without answering; or a function of the request body
    returning a body. Each request takes the next entry; the last entry repeats. Requests are
    kept for inspection; ``delay`` slows every answer down.
    """

    def __init__(self):
        self.script: list = []
        self.requests: list[dict] = []
        self.delay = 0.0
        self.max_per_second: float | None = None  # answer 429 beyond this rate (a rolling one-second window)
        self.rate_violations = 0
        self._recent: list[float] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if server.over_limit():
                    return self.reply(429, {"error": "rate limit"}, {"retry-after": "1"})
                index = min(len(server.requests), len(server.script)) - 1
                entry = server.script[index]
                time.sleep(server.delay)
                if entry[0] == "hang":
                    time.sleep(entry[1])
                    return
                if entry[0] == "drop":
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                status, payload, headers = entry if isinstance(entry, tuple) else (200, entry, {})
                self.reply(status, payload(body) if callable(payload) else payload, headers)

            def reply(self, status, payload, headers):
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

    def over_limit(self) -> bool:
        if self.max_per_second is None:
            return False
        with self._lock:
            now = time.monotonic()
            self._recent = [moment for moment in self._recent if now - moment < 1.0] + [now]
            if len(self._recent) > self.max_per_second:
                self.rate_violations += 1
                return True
        return False

    def start(self) -> "ScriptedServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def answer(self, *entries):
        """Replace the script; a bare body (dict, str or function) means status 200."""
        self.script = [entry if isinstance(entry, tuple) else (200, entry, {}) for entry in entries]
        self.requests.clear()

    def answer_every_question(self):
        """Answer any focused question validly (see valid_answer)."""
        self.script = [(200, valid_answer, {})]
        self.requests.clear()
