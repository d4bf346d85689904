"""Prompt templates, read from the prompts/ folder, with the version recorded beside every result.

The version is the folder's declared number plus a hash of the templates, so an
edited prompt never re-uses results produced by the old one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from schemas import LaunchesAnswer, PeopleAnswer, SanctionsAnswer, SummitAnswer

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@dataclass(frozen=True)
class Question:
    """One focused question: a template name, the part of the schema it fills, and the words whose
    sentences are listed in the question (a small model finds facts far better in a short list)."""

    name: str
    response_model: type[BaseModel]
    focus: tuple[str, ...] = ()


QUESTIONS = (
    Question("people", PeopleAnswer),
    Question("launches", LaunchesAnswer, focus=("missile", "launch", "fired")),
    Question("sanctions", SanctionsAnswer, focus=("sanction",)),
    Question("summit", SummitAnswer),
)


@cache
def template(name: str) -> str:
    return (PROMPTS_DIR / f"{name}.txt").read_text(encoding="utf-8")


@cache
def prompt_version() -> str:
    files = sorted(path for path in PROMPTS_DIR.iterdir() if path.suffix == ".txt")
    digest = hashlib.sha256(b"".join(path.name.encode() + path.read_bytes() for path in files)).hexdigest()[:8]
    return f"{(PROMPTS_DIR / 'VERSION').read_text().strip()}-{digest}"


def messages_for(text: str, published: str | None, question: Question, sentences: list[str] = ()) -> list[dict]:
    """System rules, then the article, then the question last, so every question about
    one article shares the same prompt prefix and a local server re-uses its cache."""
    article = template("article").format(text=text, published=published or "date unknown")
    listed = "\n".join(f"{number}. {sentence}" for number, sentence in enumerate(sentences, 1))
    return [
        {"role": "system", "content": template("system").strip()},
        {"role": "user", "content": article + "\n" + template(question.name).strip().format(sentences=listed)},
    ]
