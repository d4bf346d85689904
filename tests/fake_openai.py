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
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.batch_polls = 2  # a batch completes on its second status check
        self.keep_requests = True  # a benchmark of memory turns this off
        self._recent: list[float] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = self.path.strip("/").split("/")  # v1/batches/ID or v1/files/ID/content
                if parts[1] == "batches" and parts[2] in server.batches:
                    return self.reply(200, server.poll_batch(parts[2]), {})
                if parts[1] == "files" and parts[2] in server.files:
                    return self.reply(200, server.files[parts[2]].decode(), {})
                return self.reply(404, {"error": "not found"}, {})

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                if self.path.endswith("/files"):
                    return self.reply(200, server.store_file(raw, self.headers["content-type"]), {})
                body = json.loads(raw)
                if self.path.endswith("/batches"):
                    return self.reply(200, server.create_batch(body), {})
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body} if server.keep_requests else {})
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

    def store_file(self, raw: bytes, content_type: str) -> dict:
        """Keep an uploaded file (the 'file' part of a multipart upload) and describe it as OpenAI does."""
        boundary = content_type.split("boundary=")[1].encode()
        part = next(chunk for chunk in raw.split(b"--" + boundary) if b'name="file"' in chunk)
        content = part.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n", 1)[0]
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = content
        return {"id": file_id, "object": "file", "bytes": len(content), "created_at": 0, "filename": "batch.jsonl",
                "purpose": "batch", "status": "processed"}

    def create_batch(self, request: dict) -> dict:
        batch_id = f"batch-{len(self.batches) + 1}"
        self.batches[batch_id] = {"id": batch_id, "object": "batch", "endpoint": request["endpoint"], "input_file_id": request["input_file_id"],
                                  "completion_window": request["completion_window"], "created_at": 0, "status": "in_progress", "polls": 0}
        return {key: value for key, value in self.batches[batch_id].items() if key != "polls"}

    def poll_batch(self, batch_id: str) -> dict:
        """The batch's state; after `batch_polls` polls it completes, each line answered by the script."""
        batch = self.batches[batch_id]
        batch["polls"] += 1
        if batch["status"] == "in_progress" and batch["polls"] >= self.batch_polls:
            lines = []
            for line in self.files[batch["input_file_id"]].decode().splitlines():
                request = json.loads(line)
                self.requests.append({"path": request["url"], "headers": {}, "body": request["body"]})
                status, payload, _ = self.script[min(len(self.requests), len(self.script)) - 1]
                answer = payload(request["body"]) if callable(payload) else payload
                lines.append(json.dumps({"id": f"req-{len(lines)}", "custom_id": request["custom_id"], "error": None,
                                         "response": {"status_code": status, "request_id": "r", "body": answer}}))
            output_id = f"file-{len(self.files) + 1}"
            self.files[output_id] = ("\n".join(lines) + "\n").encode()
            batch.update(status="completed", output_file_id=output_id)
        return {key: value for key, value in batch.items() if key != "polls"}

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
