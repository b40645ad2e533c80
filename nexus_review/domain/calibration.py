"""The records of a calibration exercise: the anonymised evidence the heads grade, each head's
answer, and per area how far the heads spread (in counts: one piece of evidence has no kappa)."""

from __future__ import annotations

from dataclasses import dataclass

from nexus_review.domain import agreement as ag
from nexus_review.domain.wording import counted


@dataclass(frozen=True)
class ExerciseItem:
    id: str
    title: str
    academic_year: str
    framework_key: str
    evidence_kind: str
    evidence_text: str
    area_keys: tuple[str, ...]
    area_names: tuple[str, ...]


@dataclass(frozen=True)
class HeadAnswer:
    reviewer_id: str
    head: str
    grade: str | None
    grade_label: str
    reason: str


@dataclass(frozen=True)
class AreaResult:
    area_key: str
    area_name: str
    spread: tuple[tuple[str, int], ...]  # (grade label, how many heads), best grade first
    agreement: ag.Agreement
    answers: tuple[HeadAnswer, ...]

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers if a.grade)

    @property
    def most_given(self) -> tuple[str, int]:
        """The grade most heads gave (the better one of a tie) and how many gave it."""
        if not self.answered:
            return ("", 0)
        return max(self.spread, key=lambda s: s[1])

    def describe(self) -> str:
        """In counts: one piece of evidence has no kappa, only how far the heads spread."""
        if not self.answered:
            return "No head has graded this area yet."
        grade, count = self.most_given
        a = self.agreement
        said = f"{count} of {counted(self.answered, 'head')} gave {grade}"
        if not a.n:
            return said + "."
        return f"{said}; {a.within_one} of {counted(a.n, 'pair')} of heads were within one grade of each other."


@dataclass(frozen=True)
class ExerciseResults:
    exercise: ExerciseItem
    heads: tuple[str, ...]  # everyone who answered
    areas: tuple[AreaResult, ...]
