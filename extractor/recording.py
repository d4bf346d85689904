"""Record a run's real HTTP exchanges with the model server, and replay them without one.

Recordings are vcrpy cassettes. Requests are matched on method, path and body
(the body holds the model name, the prompt and the schema), not on host and
port, because the embedded server listens on a random port. Credentials are
filtered out, and every recorded response carries a header saying which model
answered and when.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path


SECRET_HEADERS = ["authorization", "api-key", "x-api-key", "openai-organization", "openai-project", "cookie", "set-cookie"]
NOTE_HEADER = "x-summit-extract-recording"


@contextmanager
def recording(path: str | Path, model: str):
    """Record every chat-completion exchange of the block into a fresh cassette at path."""
    import vcr

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    note = f"real response from model {model}, recorded {datetime.now(timezone.utc).isoformat(timespec='seconds')}"

    def keep_completions_only(request):
        return request if request.path.endswith("/chat/completions") else None

    def add_note(response):
        response["headers"][NOTE_HEADER] = [note]
        return response

    recorder = vcr.VCR(
        record_mode="all",
        match_on=["method", "path", "body"],
        filter_headers=SECRET_HEADERS,
        before_record_request=keep_completions_only,
        before_record_response=add_note,
        decode_compressed_response=True,
    )
    with recorder.use_cassette(str(path)):
        yield


@contextmanager
def replaying(path: str | Path):
    """Answer the block's requests from a cassette; a request not in it fails loudly."""
    import vcr

    if not Path(path).exists():
        raise FileNotFoundError(f"{path}: no such recording")
    player = vcr.VCR(record_mode="none", match_on=["method", "path", "body"])
    with player.use_cassette(str(path), allow_playback_repeats=True):
        yield
