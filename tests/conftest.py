import json
import socket
import threading
import time
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
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
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
                if callable(payload):
                    payload = payload(body)
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
        """Replace the script; a bare body (dict, str or function) means status 200."""
        self.script = [entry if isinstance(entry, tuple) else (200, entry, {}) for entry in entries]
        self.requests.clear()

    def answer_every_question(self):
        """Answer any focused question validly (see valid_answer)."""
        self.script = [(200, valid_answer, {})]
        self.requests.clear()


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory):
    """The five seed articles extracted from the committed recording: (database, run summary, path)."""
    from extractor import pipeline, store

    db_path = tmp_path_factory.mktemp("seed") / "summit.db"
    summary = pipeline.run(SEED_ARTICLES, db_path, pipeline.RunOptions(replay=SEED_CASSETTE, progress=False))
    return store.open_database(str(db_path)), summary, db_path


@pytest.fixture
def scripted_server():
    server = ScriptedServer()
    server._thread.start()
    yield server
    server._httpd.shutdown()
