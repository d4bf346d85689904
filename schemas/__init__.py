"""Pydantic models for what news articles report about a summit."""

from schemas.summit import (
    ArticleExtraction,
    DelegationMember,
    Leader,
    LaunchesAnswer,
    MissileLaunch,
    Outcome,
    PeopleAnswer,
    SanctionsAnswer,
    SanctionsStatement,
    SummitAnswer,
    SummitDetails,
)

__all__ = [
    "ArticleExtraction",
    "DelegationMember",
    "Leader",
    "LaunchesAnswer",
    "MissileLaunch",
    "Outcome",
    "PeopleAnswer",
    "SanctionsAnswer",
    "SanctionsStatement",
    "SummitAnswer",
    "SummitDetails",
]
