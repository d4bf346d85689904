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
