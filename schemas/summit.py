"""What one article reports about a summit.

Field descriptions are written for the model: they are sent with every request
as the JSON schema. Each item's ``evidence`` comes first so the model copies the
supporting sentence before it fills the fields from it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

EVIDENCE_DESCRIPTION = (
    "One sentence or phrase copied word for word from the article that states this fact. "
    "Copy it exactly; do not paraphrase or shorten words."
)


class Evidenced(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # The length cap binds the model (it is in the JSON schema) but not the stored value,
    # which grounding replaces with the source sentence, however long that is.
    evidence: str = Field(description=EVIDENCE_DESCRIPTION, min_length=8, json_schema_extra={"maxLength": 400})
    # Filled in code by grounding (character offsets of the evidence in the article), never asked of the model.
    start: SkipJsonSchema[int | None] = None
    end: SkipJsonSchema[int | None] = None

    @field_validator("evidence")
    @classmethod
    def evidence_is_text(cls, value: str) -> str:
        value = value.strip()
        if len(value.split()) < 2:
            raise ValueError("evidence must be a sentence copied from the article, not a single word")
        return value


class Leader(Evidenced):
    name: str = Field(description="The leader's full name as written, without titles, e.g. 'Vladimir Putin'.", max_length=80)
    title: str | None = Field(description="The leader's office, e.g. 'President' or 'Prime Minister'.", max_length=80)
    country: str | None = Field(description="The country the leader leads.", max_length=60)


class DelegationMember(Evidenced):
    name: str = Field(
        description="Full name of an official who accompanied a leader or took part in the talks, without titles or ranks.",
        max_length=80,
    )
    country: str | None = Field(description="The country whose delegation this person belongs to.", max_length=60)
    role: str | None = Field(
        None,
        description="The person's position exactly as the article gives it, e.g. 'Defence Minister'; null if the article gives none.",
        max_length=120,
    )


class MissileLaunch(Evidenced):
    date: str | None = Field(description="When the missiles were fired, as the article says it (a date or a weekday).", max_length=40)
    count: int | None = Field(description="How many missiles were fired.", ge=1, le=100)
    missile_type: str | None = Field(description="The kind of missile, e.g. 'ballistic missile' or 'cruise missile'.", max_length=60)
    range_class: str | None = Field(description="Range class if stated: 'short-range', 'medium-range', 'long-range' or 'intercontinental'.", max_length=40)
    launch_site: str | None = Field(description="Where the missiles were fired from.", max_length=80)
    landing_area: str | None = Field(description="Where the missiles came down, e.g. 'the sea off the east coast'.", max_length=120)
    reported_by: str | None = Field(description="Who reported the launch, e.g. a military or government body.", max_length=80)


Stance = Literal["supports sanctions", "threatens sanctions", "says sanctions are respected", "criticises sanctions", "other"]


class SanctionsStatement(Evidenced):
    speaker: str | None = Field(
        None, description="Name of the person who made the statement; null when it is an institution speaking.", max_length=80
    )
    organization: str | None = Field(description="The body the speaker speaks for, e.g. 'U.S. State Department' or 'United Nations'.", max_length=100)
    country: str | None = Field(description="The speaker's country, or null for an international body.", max_length=60)
    stance: Stance = Field(description="What the statement says about sanctions.")
    quote: str = Field(
        description="The speaker's words about sanctions, copied exactly from the article.", min_length=8, json_schema_extra={"maxLength": 400}
    )


OutcomeKind = Literal["agreement", "pledge", "planned visit", "statement"]


class Outcome(Evidenced):
    kind: OutcomeKind = Field(description="agreement, pledge, planned visit, or statement of intent.")
    description: str = Field(description="A short description of the outcome in your own words.", max_length=300)


class SummitDetails(Evidenced):
    title: str | None = Field(description="A short name for the summit, e.g. 'Kim–Putin summit at Vostochny'.", max_length=120)
    date: str | None = Field(description="The day the leaders met, as the article says it.", max_length=40)
    location: str | None = Field(description="Where the leaders met: the venue or city.", max_length=120)
    host_country: str | None = Field(description="The country where the summit took place.", max_length=60)
    talks_duration: str | None = Field(description="How long the talks lasted, as reported, e.g. 'more than four hours'.", max_length=60)


# The focused questions: one part of the schema per request.


class PeopleAnswer(BaseModel):
    leaders: list[Leader] = Field(description="The heads of state or government who met at the summit.", max_length=4)
    delegation_members: list[DelegationMember] = Field(
        description="Officials, ministers and military officers named as accompanying a leader or taking part in the talks.",
        max_length=16,
    )


class LaunchesAnswer(BaseModel):
    missile_launches: list[MissileLaunch] = Field(description="Missile launches the article reports; empty if none.", max_length=5)


class SanctionsAnswer(BaseModel):
    sanctions_statements: list[SanctionsStatement] = Field(
        description="Statements by named people or institutions about sanctions; empty if none.", max_length=8
    )


class SummitAnswer(BaseModel):
    summit: SummitDetails | None = Field(description="The summit the article reports; null if it reports none.")
    outcomes: list[Outcome] = Field(
        description="What the summit produced: agreements, pledges, planned visits, statements of intent.", max_length=8
    )


class ArticleExtraction(BaseModel):
    """Everything one article says, after grounding and normalization: the unit stored per article."""

    summit: SummitDetails | None = None
    leaders: list[Leader] = []
    delegation_members: list[DelegationMember] = []
    missile_launches: list[MissileLaunch] = []
    sanctions_statements: list[SanctionsStatement] = []
    outcomes: list[Outcome] = []
