"""Read article files and strip page furniture before the model sees them.

Cleaning is generic (no per-site rules): a scraped page is a run of lines, of
which the article body is the stretch of full sentences about the article's
recurring names. Menus, headline lists of other stories, photo credits and
advertising lines are dropped; no sentence inside the body is ever dropped.
"""

from __future__ import annotations

import glob
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")
SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*\s*$|[\"”’]\s*$")
FURNITURE = re.compile(
    r"^\s*(advertisement|article continues after advertisement|skip to (main )?content|hamburger menu|"
    r"close|menu|share|share this( article)?|read more|related( stories| articles)?|more .{0,30} news|"
    r"top stories|most read|trending|sign up.*|subscribe.*|credit:.*|\[source:.*\]|by [a-z .'-]{2,60})\s*$",
    re.IGNORECASE,
)
PHOTO_CREDIT = re.compile(r"^\s*\(?(photo|image|picture)?[^()]{0,120}\b(via AP|Photo via|Pool Photo|Getty Images|AFP|Reuters)\)?\s*$")
SALIENT_NAMES = 6  # how many of the most frequent names stand for the article's subject
BODY_TRAILING_SENTENCES = 2  # sentences right after the last on-topic one that still belong to the body
BODY_MAX_GAP = 6  # off-topic lines tolerated inside the body (a quote, a caption) before it counts as ended
CAPTION = re.compile(r"\((?:Photo|Picture|Image|File photo)?:?[^()]*(?:via AP|Pool Photo|Getty Images|AFP|Reuters|Xinhua|EPA)\)\s*$")
CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z'’-]{2,}\b")
COMMON_CAPITALS = {
    "The", "This", "That", "These", "Those", "And", "But", "For", "With", "From", "After", "Before", "When", "While",
    "His", "Her", "Their", "They", "She", "Asked", "According", "In", "On", "At", "It", "Its", "As", "A", "An",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Photo", "Credit", "News",
}


@dataclass
class Article:
    """One input article: its raw text, the cleaned text the model sees, and what was read from the page."""

    path: str
    raw: str
    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    id: str = field(init=False)

    def __post_init__(self) -> None:
        self.id = article_id(self.raw)

    @property
    def published_date(self) -> date | None:
        return date.fromisoformat(self.published) if self.published else None


class ArticleError(ValueError):
    """An input file cannot be used as an article; the message names the file and why."""


def article_id(raw: str) -> str:
    """Content hash: the same text under another name is the same article."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


ARTICLE_SUFFIXES = (".txt", ".jsonl")


def find_article_files(source: str | Path) -> list[Path]:
    """Article files from a directory (every .txt and .jsonl in it), a file or a glob pattern, sorted for a stable order."""
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in ARTICLE_SUFFIXES)
    elif path.is_file():
        files = [path]
    else:
        files = sorted(Path(p) for p in glob.glob(str(source), recursive=True) if Path(p).is_file())
    if not files:
        raise ArticleError(f"{source}: no article files found (expected a directory of .txt or .jsonl files, a file or a glob)")
    return files


def read_article(path: str | Path) -> Article:
    """Read one UTF-8 article file, or raise ArticleError naming the file and the reason."""
    path = Path(path)
    data = path.read_bytes()
    if b"\x00" in data:
        raise ArticleError(f"{path}: binary file, not text")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    return article_from_page(str(path), raw)


def article_from_page(where: str, raw: str, published: str | None = None) -> Article:
    """An Article from a scraped page's text; `where` names it in messages and in the database."""
    if not raw.strip():
        raise ArticleError(f"{where}: empty file")
    body = raw
    match = DATE_LINE.match(raw)
    if match:
        published = published or match.group(1)
        body = raw[match.end():]
    text, title = clean_page(body)
    if not text:
        raise ArticleError(f"{where}: no article text left after removing page furniture")
    return Article(path=where, raw=raw, text=text, title=title, published=published, outlet=guess_outlet(raw))


def read_jsonl(path: Path):
    """Yield (where, Article or ArticleError) for each {id, text, url, published} line, one at a time."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
                text = record["text"]
                if not isinstance(text, str):
                    raise TypeError("text is not a string")
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                yield where, ArticleError(f"{where}: not an article record ({error})")
                continue
            published = record.get("published")
            published = str(published)[:10] if published and DATE_LINE.match(f" date {str(published)[:10]}") else None
            where = f"{path}#{record.get('id', number)}"
            try:
                yield where, article_from_page(where, text, published)
            except ArticleError as error:
                yield where, error


def guess_outlet(raw: str) -> str | None:
    """The news agency a page names in a dateline or source tag, if any."""
    match = re.search(r"\((AP|Reuters|AFP)\)|\[Source:\s*([^\]]+)\]|\bBY (ASSOCIATED PRESS|REUTERS)\b", raw)
    if not match:
        return None
    name = next(group for group in match.groups() if group)
    return {"AP": "Associated Press", "ASSOCIATED PRESS": "Associated Press", "REUTERS": "Reuters"}.get(name, name)


def is_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line)) and len(line.split()) >= 6


def is_furniture(line: str) -> bool:
    """Menus, credits, photo captions, ads and truncated teasers ('... shake hands during the...')."""
    return bool(FURNITURE.match(line) or PHOTO_CREDIT.match(line) or CAPTION.search(line) or line.endswith(("...", "…")))


def names_in(line: str) -> set[str]:
    """Capitalised words of a line, possessives folded ("Korea's" -> "Korea")."""
    return {re.sub(r"['’]s$", "", word) for word in CAPITALISED.findall(line)} - COMMON_CAPITALS


def salient_names(lines: list[str], keep: int = SALIENT_NAMES) -> set[str]:
    """The names that recur most across the page's sentences: the article's own subjects.

    The article is the largest text on its page, so its subjects top the count;
    a headline list of other stories names many things a few times each.
    """
    counts = Counter()
    for line in lines:
        counts.update(names_in(line))
    return {name for name, count in counts.most_common(keep) if count >= 2}


def densest_run(indices: list[int], max_gap: int) -> tuple[int, int]:
    """The (first, last) of the run of indices with the most members, where no two neighbours are more than max_gap apart."""
    best = current = (indices[0], indices[0], 1)
    for previous, index in zip(indices, indices[1:]):
        current = (current[0], index, current[2] + 1) if index - previous <= max_gap else (index, index, 1)
        if current[2] > best[2]:
            best = current
    return best[0], best[1]


def clean_page(page: str) -> tuple[str, str | None]:
    """Return (article body, title) from a scraped page.

    The body is the densest run of full sentences that mention the page's
    recurring names (other stories' headlines and ads sit in runs of their own);
    everything inside it is kept except furniture lines.
    The title is the first headline-like line (no final full stop) that mentions them.
    """
    lines = [" ".join(line.split()) for line in page.splitlines()]
    lines = [line for line in lines if line]
    sentences = [line for line in lines if is_sentence(line)]
    names = salient_names(sentences)

    def on_topic(line: str) -> bool:
        return is_sentence(line) and bool(names_in(line) & names)

    topical = [index for index, line in enumerate(lines) if on_topic(line)]
    if not topical:
        return "\n".join(line for line in lines if is_sentence(line)), None
    first, last = densest_run(topical, max_gap=BODY_MAX_GAP)
    # A closing sentence often names nobody (the end of a quote): take directly following sentences too.
    for _ in range(BODY_TRAILING_SENTENCES):
        if last + 1 < len(lines) and is_sentence(lines[last + 1]) and not is_furniture(lines[last + 1]):
            last += 1
    body = [line for line in lines[first:last + 1] if not is_furniture(line) and (is_sentence(line) or len(line.split()) >= 12)]
    title = next(
        (
            line
            for line in lines[:first + 1]
            if 4 <= len(line.split()) <= 25 and not line.endswith(".") and names_in(line) & names
        ),
        None,
    )
    return "\n".join(body), title


def read_articles(source: str | Path):
    """Yield (where, Article or ArticleError) for every file or JSONL record, one at a time, so a
    large corpus is never held in memory and one bad input does not stop the rest."""
    for path in find_article_files(source):
        if path.suffix == ".jsonl":
            yield from read_jsonl(path)
            continue
        try:
            yield str(path), read_article(path)
        except ArticleError as error:
            yield str(path), error
