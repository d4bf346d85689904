"""Align every evidence quote with the article text it claims to come from.

A small model copies imperfectly: curly vs straight quotes, dashes, spacing, a
changed word. A quote is matched on a canonical form first (exact up to those
variants), then fuzzily; when it matches, the stored evidence becomes the exact
source span with its character offsets, so every stored quote is verbatim.
An item whose quote matches nowhere is not a fact and is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "`": "'",
                      "–": "-", "—": "-", "‑": "-", "−": "-", "\u00a0": " "})
FUZZY_THRESHOLD = 90.0
SENTENCE_WORD_SHARE = 0.85  # share of a quote's words a source sentence must contain to stand for it
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n")
ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.)+$|\b(?:Adm|Gen|Lt|Col|Maj|Capt|Sgt|Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|Inc|Co)\.$"
)
WORD = re.compile(r"[a-z0-9]+")
# Text that speaks to a model rather than reports news: never evidence of a fact.
INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:previous|prior|above|earlier|all)\b.{0,20}\binstructions?\b"
    r"|\byou are (?:an? )?(?:ai|assistant|language model|chatbot)\b|\bsystem prompt\b",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str  # exactly text[start:end]


def canonical(text: str) -> tuple[str, list[int]]:
    """Lower-cased text with quote marks, dashes and whitespace runs folded, and each
    canonical character's offset in the original."""
    chars, offsets = [], []
    previous_space = True
    for index, char in enumerate(text.translate(FOLD)):
        if char.isspace():
            if previous_space:
                continue
            char, previous_space = " ", True
        else:
            previous_space = False
        chars.append(char.lower())
        offsets.append(index)
    while chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), offsets


def words(text: str) -> list[str]:
    return WORD.findall(canonical(text)[0])


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a full stop after an abbreviation ('U.S.', 'Adm.') ends none."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.group(0) != "\n" and ABBREVIATION.search(text[start:match.start() + 1]):
            continue
        if text[start:match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


class Grounder:
    """Finds quotes in one article's text; build once per article."""

    def __init__(self, text: str):
        self.text = text
        self._canonical, self._offsets = canonical(text)
        self._sentences = [(start, end, set(words(text[start:end]))) for start, end in sentence_spans(text)]

    def _span(self, start: int, end: int) -> Span:
        return self._source_span(self._offsets[start], self._offsets[end - 1] + 1)

    def _source_span(self, start: int, end: int) -> Span:
        """The text between two source offsets, without surrounding whitespace."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Span(start, end, self.text[start:end])

    def find(self, quote: str) -> Span | None:
        needle = canonical(quote)[0].strip(" \"'.,;:…")
        if len(needle) < 8:
            return None
        span = self._locate(needle)
        if span is None or INSTRUCTION.search(span.quote):
            return None
        return span

    def _locate(self, needle: str) -> Span | None:
        position = self._canonical.find(needle)
        if position >= 0:
            return self._whole_sentences(self._span(position, position + len(needle)))
        alignment = fuzz.partial_ratio_alignment(needle, self._canonical, score_cutoff=FUZZY_THRESHOLD)
        if alignment is not None and alignment.dest_end - alignment.dest_start >= 0.8 * len(needle):
            return self._whole_sentences(self._span(alignment.dest_start, alignment.dest_end))
        return self._sentence_for(needle)

    def _whole_sentences(self, span: Span) -> Span:
        """Extend a match to the sentences it falls in: a model often copies only the quoted
        words, and the rest of the sentence says who spoke ('..., Lim said at a briefing')."""
        starts = [start for start, end, _ in self._sentences if start <= span.start < end]
        ends = [end for start, end, _ in self._sentences if start < span.end <= end]
        return self._source_span(starts[0] if starts else span.start, ends[0] if ends else span.end)

    def _sentence_for(self, needle: str) -> Span | None:
        """The one sentence holding nearly all the quote's words: models drop words when they copy."""
        wanted = set(words(needle))
        best = max(self._sentences, key=lambda s: len(wanted & s[2]), default=None)
        if best is None or len(wanted & best[2]) < SENTENCE_WORD_SHARE * len(wanted):
            return None
        return self._source_span(best[0], best[1])

    def sentences_before(self, offset: int, count: int) -> list[str]:
        """Up to count sentences ending before offset, nearest first."""
        before = [self._source_span(start, end).quote for start, end, _ in self._sentences if end <= offset]
        return before[::-1][:count]

    def sentences_with(self, stems: tuple[str, ...]) -> list[str]:
        """The sentences containing any of the word stems (case-insensitive), in text order."""
        return [
            self._source_span(start, end).quote
            for start, end, _ in self._sentences
            if any(stem in self.text[start:end].lower() for stem in stems)
        ]

    def contains(self, phrase: str) -> bool:
        """Whether the phrase occurs in the text, up to case, spacing, quote marks and dashes."""
        needle = canonical(phrase)[0].strip()
        return bool(needle) and needle in self._canonical

    def mentions(self, name: str) -> Span | None:
        """The first sentence naming this person (all words of the name, in any spelling variant of spacing)."""
        wanted = set(words(name))
        for start, end, sentence_words in self._sentences:
            if wanted and wanted <= sentence_words:
                return self._source_span(start, end)
        return None
