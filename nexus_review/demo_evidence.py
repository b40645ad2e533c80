"""A demo visit's plan and the writing of its evidence log: lesson observations, learning
walks with their classrooms, pupil voice, work scrutiny, meetings with leaders and data,
in the words of the phrase banks of :mod:`nexus_review.demo_data`."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nexus_review.demo_data import (
    DATA_NOTES,
    DROP_IN_NOTES,
    INITIALS,
    MEETING_NOTES,
    PUPIL_VOICE_NOTES,
    SCRUTINY_NOTES,
    SURNAMES,
    TEACHING_AREA,
    THEMES,
    TITLES,
    TYPICAL_SELF_GRADES,
    YEAR_GROUPS,
    GroupPlan,
    lower_phrase,
    phrases_for,
    subject_of,
)
from nexus_review.demo_network import DEMO_DEVICE, demo_id
from nexus_review.domain.enums import (
    EvidenceKind,
    LookForResult,
    VisitKind,
    VisitStatus,
)
from nexus_review.frameworks import Framework
from nexus_review.storage.models import (
    DropIn,
    Evidence,
    SyncMixin,
)


def written_at(day: dt.date, hour: int = 17, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


@dataclass
class VisitPlan:
    """One visit before its records are written: who goes where, when and to look at what."""

    key: str
    host: str
    day: dt.date
    kind: VisitKind
    framework: str
    focus: list[str]
    team: list[str]  # reviewer keys, lead first
    group: GroupPlan | None = None
    status: VisitStatus = VisitStatus.REPORT_SENT
    follows: VisitPlan | None = None


@dataclass
class EvidenceWriter:
    """Collects every record of the demo in parent-before-child order, and writes a visit's
    evidence (the seeded random generator's draws, in order, make every demo the same)."""

    rng: random.Random
    today: dt.date
    records: list[SyncMixin] = field(default_factory=list)
    # record id -> the academic year it belongs to (priorities, groups, visits and all under them)
    year_of: dict[str, str] = field(default_factory=dict)
    in_year: str = ""  # the academic year of the records being added ("" for schools, people)
    school_ids: dict[str, str] = field(default_factory=dict)
    reviewer_ids: dict[str, str] = field(default_factory=dict)
    school_names: dict[str, str] = field(default_factory=dict)
    phases: dict[str, str] = field(default_factory=dict)
    classes: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    used_days: set[dt.date] = field(default_factory=set)
    host_days: dict[str, list[dt.date]] = field(default_factory=dict)
    used_lines: set[tuple[str, ...]] = field(default_factory=set)
    used_rationales: set[str] = field(default_factory=set)

    def add(
        self, model: Callable[..., SyncMixin], record_id: str, when: dt.datetime, **values: Any
    ) -> str:
        """A record with every sync column set explicitly, as the demo device wrote it once."""
        if self.in_year:
            self.year_of[record_id] = self.in_year
        self.records.append(
            model(
                id=record_id,
                created_at=when,
                updated_at=when,
                device_id=DEMO_DEVICE,
                revision=1,
                vclock={DEMO_DEVICE: 1},
                deleted=False,
                **values,
            )
        )
        return record_id

    def teacher(self) -> str:
        r = self.rng
        return f"{r.choice(TITLES)} {r.choice(INITIALS)}. {r.choice(SURNAMES)}"

    def times(self, start: dt.time, minutes: int) -> tuple[dt.time, dt.time]:
        begin = dt.datetime.combine(dt.date(2000, 1, 1), start)
        return start, (begin + dt.timedelta(minutes=minutes)).time()

    def add_evidence(
        self,
        plan: VisitPlan,
        visit_id: str,
        themes: list[str],
        framework: Framework,
        written: dt.datetime,
    ) -> list[str]:
        r = self.rng
        kinds: list[EvidenceKind]
        if plan.kind is VisitKind.EVALUATION_DAY:
            kinds = [EvidenceKind.LEADER_MEETING]
            kinds += [EvidenceKind.LESSON_OBSERVATION] * r.choice((1, 2, 2, 3))
            kinds += [EvidenceKind.PUPIL_VOICE, EvidenceKind.WORK_SCRUTINY]
            # Most days include a joint learning walk; some look at the school's data instead.
            kinds.append(r.choice((EvidenceKind.LEARNING_WALK,) * 2 + (EvidenceKind.DATA_REVIEW,)))
        elif plan.kind is VisitKind.COLLABORATIVE_REVIEW:
            kinds = [EvidenceKind.LEADER_MEETING, EvidenceKind.LEARNING_WALK]
            kinds.append(r.choice((EvidenceKind.PUPIL_VOICE, EvidenceKind.WORK_SCRUTINY)))
            if r.random() < 0.5:
                kinds.insert(2, EvidenceKind.LESSON_OBSERVATION)
        elif plan.kind is VisitKind.LEARNING_WALK:
            kinds = [EvidenceKind.LEARNING_WALK, EvidenceKind.LEADER_MEETING]
        else:
            kinds = [
                EvidenceKind.LEADER_MEETING,
                r.choice((EvidenceKind.LEARNING_WALK, EvidenceKind.WORK_SCRUTINY)),
            ]
        afternoon = plan.kind is VisitKind.COLLABORATIVE_REVIEW and r.random() < 0.5
        clock = dt.time(12, 50) if afternoon else dt.time(8, 50)
        years = YEAR_GROUPS[self.phases[plan.host]]
        ids: list[str] = []
        seen_years: list[str] = []
        seen_notes: list[str] = []
        for position, kind in enumerate(kinds):
            theme = themes[position % len(themes)]
            bank = THEMES[theme]
            focus_label = lower_phrase(theme)
            minutes = {EvidenceKind.LEARNING_WALK: 45, EvidenceKind.LEADER_MEETING: 40}.get(
                kind, 30
            )
            if plan.kind is not VisitKind.EVALUATION_DAY:
                minutes -= 5  # a half day is tighter
            time_in, time_out = self.times(clock, minutes)
            clock = self.times(time_out, 10 if plan.kind is VisitKind.EVALUATION_DAY else 5)[1]
            evidence_id = demo_id("evidence", plan.key, str(position))
            values: dict[str, Any] = {
                "visit_id": visit_id,
                "kind": kind.value,
                "position": position,
                "time_in": time_in,
                "time_out": time_out,
                # Linked to the theme the evidence speaks to, and to a narrower focus of that
                # theme when the visit agreed one; never to the visit's other themes.
                "focus_links": [theme]
                + [f for f in plan.focus if f in bank.specifics and r.random() < 0.7],
            }
            if kind is EvidenceKind.LESSON_OBSERVATION:
                fitting = [y for y in years if y in bank.years] or [
                    y for y in years if y != "Reception"
                ]
                year = r.choice([y for y in fitting if y not in seen_years] or fitting)
                seen_years.append(year)
                class_name, staff = self.classes[plan.host][year]
                note = r.choice(
                    [n for n in bank.lesson_notes if n not in seen_notes] or bank.lesson_notes
                )
                seen_notes.append(note)
                values |= {
                    "class_name": class_name,
                    "year_group": year,
                    "subject": subject_of(note),
                    "staff": staff,
                    "notes": note.format(year=year),
                    "strengths": "\n".join(
                        r.sample(phrases_for(bank.strengths, self.phases[plan.host]), 2)
                    ),
                    "areas_for_development": r.choice(
                        phrases_for(bank.ebis, self.phases[plan.host])
                    ),
                }
                if framework.key in TEACHING_AREA and r.random() < 0.4:
                    grade = r.choice(TYPICAL_SELF_GRADES[framework.key][:3])
                    values["grades"] = {TEACHING_AREA[framework.key]: grade}
            elif kind is EvidenceKind.LEARNING_WALK:
                look_fors = r.sample(bank.look_fors, min(len(bank.look_fors), r.randint(3, 4)))
                drop_ins = self.plan_drop_ins(plan, look_fors)
                seen = {
                    lf: sum(d[1][lf] == LookForResult.SEEN for d in drop_ins) for lf in look_fors
                }
                best = max(look_fors, key=lambda lf: seen[lf])
                weakest = min((lf for lf in look_fors if lf != best), key=lambda lf: seen[lf])
                only = "only " if 2 * seen[weakest] < len(drop_ins) else ""
                values |= {
                    "look_fors": look_fors,
                    "subject": r.choice(bank.subjects),
                    "notes": f"Joint walk with the school's {lower_phrase(theme)} lead, using the look-fors agreed beforehand.",
                    "strengths": f"{best}: seen in {seen[best]} of {len(drop_ins)} classrooms.",
                    "areas_for_development": f"{weakest}: seen in {only}{seen[weakest]} of {len(drop_ins)} classrooms.",
                }
            elif kind is EvidenceKind.PUPIL_VOICE:
                pair = sorted(r.sample(range(len(years)), 2))
                older = f"Years {years[pair[0]].split()[-1]} and {years[pair[1]].split()[-1]}"
                if years[pair[0]] == "Reception":
                    older = f"Reception and {years[pair[1]]}"
                size = r.choice((4, 6, 6, 8))
                values |= {
                    "who_what": f"{size} pupils from {older}",
                    "participants": size,
                    "notes": r.choice(PUPIL_VOICE_NOTES).format(focus=focus_label),
                }
            elif kind is EvidenceKind.WORK_SCRUTINY:
                values |= {
                    "subject": r.choice(bank.subjects),
                    "who_what": "Books from {} and {}".format(
                        *sorted(r.sample(years, 2), key=years.index)
                    ),
                    "notes": r.choice(SCRUTINY_NOTES),
                    "strengths": r.choice(phrases_for(bank.strengths, self.phases[plan.host])),
                    "areas_for_development": r.choice(
                        phrases_for(bank.ebis, self.phases[plan.host])
                    ),
                }
            elif kind is EvidenceKind.LEADER_MEETING:
                values |= {
                    "who_what": r.choice(
                        (
                            "Headteacher and subject lead",
                            "Senior leadership team",
                            "Headteacher, SENCo and chair of governors",
                        )
                    ),
                    "participants": r.randint(2, 4),
                    "notes": r.choice(MEETING_NOTES).format(focus=focus_label),
                }
            else:  # data review
                values |= {
                    "who_what": "Headteacher and assessment lead",
                    "participants": 2,
                    "notes": r.choice(DATA_NOTES),
                }
            self.add(Evidence, evidence_id, written, **values)
            if kind is EvidenceKind.LEARNING_WALK:
                self.add_drop_ins(plan, evidence_id, drop_ins, time_in, written)
            ids.append(evidence_id)
        return ids

    def plan_drop_ins(
        self, plan: VisitPlan, look_fors: list[str]
    ) -> list[tuple[str, dict[str, LookForResult]]]:
        """The classrooms of a walk (year group, look-for results), before they are written."""
        r = self.rng
        years = list(YEAR_GROUPS[self.phases[plan.host]])
        visited = r.sample(years, min(len(years), r.randint(4, 8)))
        if len(visited) < 4:  # an infant school has three classes: one is seen twice
            visited += r.sample(years, 4 - len(visited))
        outcomes = (
            (LookForResult.SEEN,) * 5 + (LookForResult.PARTLY,) * 2 + (LookForResult.NOT_SEEN,)
        )
        return [(year, {lf: r.choice(outcomes) for lf in look_fors}) for year in visited]

    def add_drop_ins(
        self,
        plan: VisitPlan,
        evidence_id: str,
        drop_ins: list[tuple[str, dict[str, LookForResult]]],
        start: dt.time,
        written: dt.datetime,
    ) -> None:
        r = self.rng
        clock = start
        for position, (year, results) in enumerate(drop_ins):
            self.add(
                DropIn,
                demo_id("drop-in", evidence_id, str(position)),
                written,
                evidence_id=evidence_id,
                position=position,
                class_name=self.classes[plan.host][year][0],
                year_group=year,
                time=clock,
                look_for_results={lf: result.value for lf, result in results.items()},
                note=r.choice(DROP_IN_NOTES),
            )
            clock = self.times(clock, r.randint(5, 8))[1]
