"""Code-side normalization of what the model wrote: names, countries, dates, durations, nulls.

The model is asked for values as the article writes them; turning them into
comparable values is done here, deterministically, so that merging across
articles compares like with like.
"""

from __future__ import annotations

import re
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
TITLE_PATTERN = re.compile(
    r"^(?:(?:" + "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True)) + r")\.?\s+)+",
    re.IGNORECASE,
)

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
    value = " ".join(str(value).split()).strip(" .,;:")
    return None if value.lower() in NULL_WORDS else value


def split_title(name: str) -> tuple[str, str | None]:
    """'Adm. Kim Myong Sik' -> ('Kim Myong Sik', 'Admiral'); titles never stay in a name."""
    name = clean(name) or ""
    match = TITLE_PATTERN.match(name)
    if not match:
        return name, None
    words = [TITLES.get(word.strip(".").lower()) for word in match.group(0).split()]
    phrase = match.group(0).strip().rstrip(".").lower()
    title = TITLES.get(phrase) or " ".join(word for word in words if word) or None
    return name[match.end():].strip(), title


PERSON_NAME = re.compile(r"\b[A-Z][a-zA-Z'’]+(?:-[a-z]+)?(?:[ -][A-Z][a-zA-Z'’]+(?:-[a-z]+)?){1,3}\b")
NOT_NAME_WORDS = {
    "state", "department", "ministry", "office", "council", "security", "united", "nations", "secretary", "general",
    "north", "south", "east", "west", "korea", "korean", "russia", "russian", "kremlin", "white", "house", "news",
    "agency", "institute", "university", "president", "minister", "foreign", "defence", "defense", "the", "national",
    "people", "army", "party", "committee", "central", "far", "union", "european", "chief", "cabinet",
}


def split_names(value: str) -> list[str]:
    """'Ri Pyong Chol and Pak Jong Chon' -> two names: the model sometimes lists two people in one item."""
    return [part for part in re.split(r"\s*(?:,|\band\b|&)\s*", value or "") if part.strip()]


def candidate_names(text: str) -> list[str]:
    """Capitalised word runs in text that look like a person's name (titles removed)."""
    names = []
    for match in PERSON_NAME.finditer(text):
        name, _ = split_title(match.group(0))
        tokens = name_tokens(name)
        if len(tokens) >= 2 and not set(tokens) & NOT_NAME_WORDS:
            names.append(name)
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
    for pattern in (rf"({PERSON_NAME.pattern})[^;]{{0,120}}?\b{said}\b", rf"\b{said}\s+({PERSON_NAME.pattern})"):
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
    return COUNTRY_LOOKUP.get(key) or COUNTRY_LOOKUP.get(key.rstrip("s")) or value


def reference_date(published: str | None, text: str) -> date | None:
    """The date relative expressions refer to: the publication date, else the latest full date in the text."""
    if published:
        return date.fromisoformat(published)
    found = []
    for match in FULL_DATE.finditer(text):
        try:
            found.append(date_parser.parse(match.group(0).replace("Sept", "Sep")).date())
        except (ValueError, OverflowError):
            continue
    return max(found) if found else None


def resolve_date(value: str | None, reference: date | None) -> str | None:
    """An ISO date for what the article wrote ('Wednesday', 'on Sep 13', '2023-09-13'), or None.

    A weekday is the latest such day on or before the reference date, as news
    copy uses it; 'yesterday' and 'today' likewise. A date without a year takes
    the reference date's year.
    """
    value = clean(value)
    if value is None:
        return None
    lowered = value.lower()
    if reference is not None:
        if "yesterday" in lowered:
            return (reference - timedelta(days=1)).isoformat()
        if "today" in lowered or "tonight" in lowered:
            return reference.isoformat()
        for index, weekday in enumerate(WEEKDAYS):
            if re.search(rf"\b{weekday}\b", lowered) and not re.search(r"\d", lowered):
                return (reference - timedelta(days=(reference.weekday() - index) % 7)).isoformat()
    if not re.search(r"\d", lowered):
        return None
    default = datetime(reference.year if reference else 1900, 1, 1)
    try:
        parsed = date_parser.parse(value.replace("Sept", "Sep"), default=default, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if parsed.year == 1900:
        return None
    return parsed.date().isoformat()


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
