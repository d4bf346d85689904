"""Code-side normalization of what the model wrote: names, countries, dates, durations, nulls.

The model is asked for values as the article writes them; turning them into
comparable values is done here, deterministically, so that merging across
articles compares like with like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser
from unidecode import unidecode

NULL_WORDS = {"", "unknown", "n/a", "na", "none", "null", "not stated", "not mentioned", "not specified", "unspecified", "-"}

# Titles and ranks that news copy puts before a name; the word goes to the role, not the name.
TITLES = {
    "adm": "Admiral", "admiral": "Admiral", "gen": "General", "general": "General", "marshal": "Marshal",
    "col": "Colonel", "colonel": "Colonel", "lt": "Lieutenant", "maj": "Major", "capt": "Captain",
    "vice": None, "president": "President", "premier": "Premier", "prime minister": "Prime Minister",
    "minister": "Minister", "foreign minister": "Foreign Minister", "defence minister": "Defence Minister",
    "defense minister": "Defense Minister", "chairman": "Chairman", "leader": "Leader", "secretary-general": "Secretary-General",
    "secretary": "Secretary", "spokesman": "Spokesman", "spokesperson": "Spokesperson", "ambassador": "Ambassador",
    "mr": None, "mrs": None, "ms": None, "dr": None, "comrade": None, "sir": None,
}
_TITLE_WORDS = "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))

COUNTRY_ALIASES = {
    "North Korea": ["north korea", "dprk", "democratic people's republic of korea", "pyongyang", "north korean", "n. korea", "n korea"],
    "South Korea": ["south korea", "republic of korea", "rok", "seoul", "south korean"],
    "Russia": ["russia", "russian federation", "moscow", "kremlin", "the kremlin", "russian", "ussr", "soviet union"],
    "United States": ["united states", "united states of america", "u.s.", "u.s", "us", "usa", "america", "american", "washington"],
    "China": ["china", "people's republic of china", "prc", "beijing", "chinese"],
    "Japan": ["japan", "tokyo", "japanese"],
    "Ukraine": ["ukraine", "kyiv", "kiev", "ukrainian"],
    "United Kingdom": ["united kingdom", "uk", "u.k.", "britain", "great britain", "london", "british"],
    "United Nations": ["united nations", "un", "u.n.", "un security council", "u.n. security council"],
}
COUNTRY_LOOKUP = {alias: canonical for canonical, aliases in COUNTRY_ALIASES.items() for alias in aliases}
_COUNTRY_WORDS = "|".join(sorted((re.escape(a) for a in COUNTRY_LOOKUP if " " in a or a.endswith(("an", "ese", "ish"))), key=len, reverse=True))
# 'North Korean leader', 'Russian President', 'Adm.': a country adjective counts only when a title follows it.
TITLE_PATTERN = re.compile(
    rf"^(?:(?:{_COUNTRY_WORDS})\s+(?=(?:{_TITLE_WORDS})\b))?(?:(?:{_TITLE_WORDS})\.?\s+)+",
    re.IGNORECASE,
)

PLAUSIBLE_DAYS = 60  # how far from the article's date a reported date may lie
MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", re.IGNORECASE)
DATE_EXPRESSION = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today)\b",
    re.IGNORECASE,
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "half an": 0.5, "an": 1, "a": 1}
FULL_DATE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b"
)


def clean(value: str | None) -> str | None:
    """Trimmed text, or None for the ways a model writes 'nothing'."""
    if value is None:
        return None
    value = " ".join(str(value).split())
    value = re.sub(r"\b([A-Z])\. (?=[A-Z]\.?\b)", r"\1.", value).strip(" .,;:")  # 'U. S.' -> 'U.S'
    return None if value.lower() in NULL_WORDS else value


def split_title(name: str) -> tuple[str, str | None]:
    """'Adm. Kim Myong Sik' -> ('Kim Myong Sik', 'Admiral'); titles never stay in a name."""
    name = clean(name) or ""
    match = TITLE_PATTERN.match(name)
    if not match:
        return name, None
    prefix = re.sub(rf"^(?:{_COUNTRY_WORDS})\s+", "", match.group(0), flags=re.IGNORECASE)
    words = [TITLES.get(word.strip(".").lower()) for word in prefix.split()]
    phrase = prefix.strip().rstrip(".").lower()
    title = TITLES.get(phrase) or " ".join(word for word in words if word) or None
    return name[match.end():].strip(), title


PERSON_NAME = re.compile(r"\b[A-Z][a-zA-Z'’]+(?:-[a-z]+)?(?:[ -][A-Z][a-zA-Z'’]+(?:-[a-z]+)?){1,3}\b")
CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’.]*(?:-[A-Za-z]+)*(?:\s+[A-Z][\w'’.]*(?:-[A-Za-z]+)*)*")
NOT_NAME_WORDS = {
    "state", "department", "ministry", "office", "council", "security", "united", "nations", "secretary", "general",
    "north", "south", "east", "west", "korea", "korean", "russia", "russian", "kremlin", "white", "house", "news",
    "agency", "institute", "university", "president", "minister", "foreign", "defence", "defense", "the", "national",
    "people", "army", "party", "committee", "central", "far", "union", "european", "chief", "cabinet",
    "professor", "prof", "press", "associated", "times", "post", "reuters", "media", "spokesman", "spokeswoman", "spokesperson", "coordination", "sanctions", "but", "and", "in",
    "asked", "when", "after", "while", "for", "as", "on", "at", "he", "she", "they", "we", "i", "it", "this", "that",
}


def split_names(value: str) -> list[str]:
    """'Ri Pyong Chol and Pak Jong Chon' -> two names: the model sometimes lists two people in one item."""
    return [part for part in re.split(r"\s*(?:,|\band\b|&)\s*", value or "") if part.strip()]


def candidate_names(text: str) -> list[str]:
    """Runs of capitalised words in text that look like a person's name: a run is cut at titles
    and organisation words ('UN Secretary-General Antonio Guterres' gives 'Antonio Guterres')."""
    names = []
    for match in CAPITALISED_RUN.finditer(text):
        run: list[str] = []
        for word in [*re.split(r"\s+|(?<=[a-z])-(?=[A-Z])", match.group(0)), ""]:
            bare = re.sub(r"['’]s$", "", word)
            if bare and unidecode(bare).lower().strip(".") not in NOT_NAME_WORDS | set(TITLES) and not bare.isupper():
                run.append(bare)
                continue
            if len(run) >= 2:
                names.append(" ".join(run))
            run = []
    return names


def closest_name(name: str, text: str) -> str | None:
    """The name in text closest to a misspelt one, if one is close enough to be the same person."""
    from rapidfuzz import fuzz, process

    match = process.extractOne(name, candidate_names(text), scorer=fuzz.ratio, score_cutoff=75)
    return match[0] if match else None


def speaker_in(evidence: str, text: str = "") -> str | None:
    """The person a quote is attributed to, when the model left the speaker empty: the first
    name before a verb of saying, else the name after one, else the only name in the sentence.
    A bare surname ('O'Brien said') becomes the full name the article uses for that person."""
    said = r"(?:said|says|told|warned|signalled|signaled|added|stressed)"
    surname = r"[A-Z][a-zA-Z'’-]+"
    # 'said James Nixey' names the speaker; 'told The Associated Press' names the listener.
    for pattern in (rf"({PERSON_NAME.pattern})[^;]{{0,120}}?\b{said}\b", rf"\b(?:said|says)\s+({PERSON_NAME.pattern})"):
        for match in re.finditer(pattern, evidence):
            names = candidate_names(match.group(1))
            if names:
                return names[0]
    names = set(candidate_names(evidence))
    if len(names) == 1:
        return names.pop()
    match = re.search(rf"\b({surname})\s+{said}\b", evidence)
    if match and match.group(1).lower() not in NOT_NAME_WORDS | {"he", "she", "it", "they"}:
        full = {name for name in candidate_names(text) if name_tokens(match.group(1))[-1] in name_tokens(name)}
        return full.pop() if len(full) == 1 else None
    return None


PRONOUN_SPEAKER = re.compile(
    r"\b(?:he|she)\s+(?:said|says|told|added|warned|stressed)\b|^(?:He|She)\b|^[“\"].*[”\"],?\s+(?:he|she)\b|,\s+saying\b"
)


def attributed_to_pronoun(evidence: str) -> bool:
    """Whether a sentence gives its words to 'he' or 'she' rather than a name."""
    return bool(PRONOUN_SPEAKER.search(evidence))


def person_key(name: str) -> str:
    """Spelling-independent key: 'Kim Jong-un', 'KIM JONG UN' and 'Kim Jong Un' agree."""
    bare, _ = split_title(name)
    return re.sub(r"[^a-z0-9]", "", unidecode(bare).lower())


def name_tokens(name: str) -> list[str]:
    bare, _ = split_title(name)
    return [token for token in re.split(r"[^a-z0-9]+", unidecode(bare).lower()) if token]


def country(value: str | None) -> str | None:
    """One canonical name per country: 'DPRK', 'Pyongyang' and 'North Korean' are 'North Korea'."""
    value = clean(value)
    if value is None:
        return None
    key = unidecode(value).lower().strip()
    key = re.sub(r"^the\s+", "", key)
    key = re.sub(r"['’]s$", "", key)
    return COUNTRY_LOOKUP.get(key) or COUNTRY_LOOKUP.get(key.replace(".", "")) or COUNTRY_LOOKUP.get(key.rstrip("s")) or value


@dataclass(frozen=True)
class Reference:
    """The day relative dates are read against. A publication date is exact: 'Wednesday' is the
    latest Wednesday up to it. A date merely found on the page is approximate: the nearest one."""

    day: date
    exact: bool = True


def reference_date(published: str | None, text: str) -> Reference | None:
    """The publication date, else the latest full date on the page (pass the raw page:
    captions and datelines carry dates the body lacks)."""
    if published:
        return Reference(date.fromisoformat(published))
    found = []
    for match in FULL_DATE.finditer(text):
        try:
            found.append(date_parser.parse(match.group(0).replace("Sept", "Sep")).date())
        except (ValueError, OverflowError):
            continue
    return Reference(max(found), exact=False) if found else None


def resolve_date(value: str | None, reference: Reference | None) -> str | None:
    """An ISO date for what the article wrote ('Wednesday', 'on Sep 13', '2023-09-13'), or None.

    A weekday is the latest such day on or before the reference date, as news
    copy uses it; 'yesterday' and 'today' likewise. A date without a year takes
    the reference date's year.
    """
    value = clean(value)
    if value is None:
        return None
    resolved = _resolve(value, reference)
    if resolved and reference and abs((date.fromisoformat(resolved) - reference.day).days) > PLAUSIBLE_DAYS:
        return None  # a year the model made up, or 'since 2022' read as a date
    return resolved


def _resolve(value: str, reference: Reference | None) -> str | None:
    lowered = value.lower()
    if reference is not None:
        day = reference.day
        if "yesterday" in lowered:
            return (day - timedelta(days=1)).isoformat()
        if "today" in lowered or "tonight" in lowered:
            return day.isoformat()
        for index, weekday in enumerate(WEEKDAYS):
            if re.search(rf"\b{weekday}\b", lowered) and not re.search(r"\d", lowered):
                back = (day.weekday() - index) % 7
                if not reference.exact and 7 - back < back:
                    return (day + timedelta(days=7 - back)).isoformat()
                return (day - timedelta(days=back)).isoformat()
    if not re.search(r"\d{4}-\d{2}-\d{2}", lowered) and not (MONTH.search(lowered) and re.search(r"\b\d{1,2}\b", lowered)):
        return None  # no day to go on ('2022', 'next month')
    default = datetime(reference.day.year if reference else 1900, 1, 1)
    try:
        parsed = date_parser.parse(value.replace("Sept", "Sep"), default=default, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if parsed.year == 1900:
        return None
    return parsed.date().isoformat()


def date_from(model_value: str | None, evidence: str, reference: Reference | None, stated_in: str | None = None) -> str | None:
    """The date of a fact: the one date its evidence sentence states, if it states exactly one
    (verbatim text beats the model's reading of it), else the model's value; with stated_in
    (the article text), only if the article says it in those words: a launch date the article
    never gives is the model's guess."""
    found = {resolve_date(match.group(0), reference) for match in DATE_EXPRESSION.finditer(evidence or "")} - {None}
    if len(found) == 1:
        return found.pop()
    value = clean(model_value)
    if value is None or (stated_in is not None and value.lower() not in " ".join(stated_in.split()).lower()):
        return None
    return resolve_date(value, reference)


FIRING = re.compile(r"\bmissiles?\b.*\b(?:fir(?:ed|es|ing)|launch(?:ed|es|ing)|test-fired)\b|\b(?:fir(?:ed|es|ing)|launch(?:ed|es|ing)|test-fired)\b.*\bmissiles?\b", re.IGNORECASE | re.DOTALL)


def reports_firing(evidence: str) -> bool:
    """Whether a sentence reports missiles being fired (not a rocket shown to visitors, not 'missile technology')."""
    return bool(FIRING.search(evidence))


def duration_hours(value: str | None) -> float | None:
    """'more than four hours' -> 4.0, 'around two hours' -> 2.0, '90 minutes' -> 1.5; None when vague."""
    value = clean(value)
    if value is None:
        return None
    lowered = value.lower()
    match = re.search(r"(\d+(?:\.\d+)?|half an|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(hours?|minutes?)", lowered)
    if not match:
        return None
    amount = match.group(1)
    number = float(amount) if amount[0].isdigit() else float(NUMBER_WORDS[amount])
    return number / 60 if match.group(2).startswith("minute") else number
