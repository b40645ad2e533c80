"""The demo's visits written out: each visit's team, evidence, judgements and next steps,
drawn from the phrase banks of :mod:`nexus_review.demo_data` with the demo's seeded random
generator (the order of the draws is what makes every demo database the same)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nexus_review.demo_data import (
    AREA_ASPECT,
    CLOSINGS,
    FOLLOW_UP_NOTES,
    GENERAL_EBIS,
    GENERAL_QUESTIONS,
    GENERAL_STRENGTHS,
    OPENERS,
    RATIONALE_EVIDENCE,
    RATIONALES,
    SAFEGUARDING_EVIDENCE,
    THEMES,
    TYPICAL_SELF_GRADES,
    focus_phrase,
    phrases_for,
)
from nexus_review.demo_evidence import EvidenceWriter, VisitPlan, written_at
from nexus_review.demo_network import demo_id
from nexus_review.domain.calendar import academic_year_of
from nexus_review.domain.enums import (
    ActionStatus,
    VisitKind,
    VisitStatus,
)
from nexus_review.frameworks import SAFEGUARDING_KEY, Framework, get_framework
from nexus_review.storage.models import (
    Action,
    Judgement,
    Visit,
    VisitReviewer,
)

# A report is drafted within a week of the visit and sent to the school within a fortnight.
REPORT_SENT_AFTER = dt.timedelta(days=14)


@dataclass
class VisitWriter(EvidenceWriter):
    """Writes the visits: their team, evidence, judgements and agreed next steps."""

    def add_visit(self, plan: VisitPlan) -> int:
        """The visit with its team, evidence, judgements and agreed actions; returns the
        number of evidence items. A planned visit has only its team and focus: its text is
        still drawn (and dropped), so that the visits after it read the same whatever the
        day the demo is made."""
        r = self.rng
        framework = get_framework(plan.framework)
        visit_id = demo_id("visit", plan.key)
        planned = plan.status is VisitStatus.PLANNED
        self.in_year = academic_year_of(plan.day)
        # Written up within a week, and never later than yesterday.
        written_on = min(
            plan.day + dt.timedelta(days=r.randint(1, 6)), self.today - dt.timedelta(days=1)
        )
        # A planned visit was put in the diary with the year's rota, in the July before.
        diary = dt.date(int(academic_year_of(plan.day)[:4]), 7, 15)
        written = written_at(diary, 16) if planned else written_at(written_on, 16, 30)
        themes = [f for f in plan.focus if f in THEMES]
        focus_text = focus_phrase(plan.focus)
        lines = self.lines
        text = {
            "summary": self.summary(plan, themes, focus_text),
            "strengths": "\n".join(
                lines(plan.host, themes, "strengths", r.randint(3, 5), GENERAL_STRENGTHS)
            ),
            "areas_for_development": "\n".join(
                lines(plan.host, themes, "ebis", r.randint(2, 4), GENERAL_EBIS)
            ),
            "questions": "\n".join(
                lines(plan.host, themes, "questions", r.randint(2, 3), GENERAL_QUESTIONS)
            ),
        }
        if planned:
            text = dict.fromkeys(text, "")
        self.add(
            Visit,
            visit_id,
            written,
            host_school_id=self.school_ids[plan.host],
            visit_date=plan.day,
            kind=plan.kind.value,
            framework_key=plan.framework,
            status=plan.status.value,
            focus_areas=list(plan.focus),
            review_group_id=demo_id("group", plan.group.key) if plan.group else None,
            follow_up_of_id=demo_id("visit", plan.follows.key) if plan.follows else None,
            **text,
        )
        for position, reviewer in enumerate(plan.team):
            self.add(
                VisitReviewer,
                demo_id("visit-reviewer", plan.key, reviewer),
                written,
                visit_id=visit_id,
                reviewer_id=self.reviewer_ids[reviewer],
                is_lead=position == 0,
                position=position,
            )
        kept = self.records
        if planned:
            self.records = []  # drawn, then dropped
        evidence_ids = self.add_evidence(plan, visit_id, themes, framework, written)
        self.add_judgements(plan, visit_id, framework, evidence_ids, focus_text, written)
        self.add_actions(plan, visit_id, themes, written)
        self.records = kept
        return 0 if planned else len(evidence_ids)

    def summary(self, plan: VisitPlan, themes: list[str], focus_text: str) -> str:
        r = self.rng
        group = plan.group.name if plan.group else "review group"
        opener = OPENERS[plan.kind].format(
            school=self.school_names[plan.host], focus=focus_text, group=group
        )
        phase = self.phases[plan.host]
        body = r.sample(phrases_for(THEMES[themes[0]].summary, phase), 2)
        if len(themes) > 1:
            body[1] = r.choice(phrases_for(THEMES[themes[1]].summary, phase))
        if plan.follows is not None:
            body.insert(
                0, f"Most of the next steps agreed on {plan.follows.day:%-d %B %Y} are in place."
            )
        return f"{opener} {' '.join(body)}\n\n{r.choice(CLOSINGS)}"

    def lines(
        self, host: str, themes: list[str], bank: str, count: int, general: tuple[str, ...]
    ) -> list[str]:
        """``count`` different lines, mostly from the first theme, some from the others; only
        lines that fit the host school's phase."""
        phase = self.phases[host]
        pool: list[str] = phrases_for(getattr(THEMES[themes[0]], bank), phase)
        for theme in themes[1:]:
            others = phrases_for(getattr(THEMES[theme], bank), phase)
            pool += self.rng.sample(others, min(2, len(others)))
        for _attempt in range(20):  # no two visits with the very same list
            chosen = self.rng.sample(pool, min(count, len(pool)))
            if self.rng.random() < 0.4:
                chosen[-1] = self.rng.choice(general)
            if tuple(chosen) not in self.used_lines:
                break
        self.used_lines.add(tuple(chosen))
        return chosen

    def add_judgements(
        self,
        plan: VisitPlan,
        visit_id: str,
        framework: Framework,
        evidence_ids: list[str],
        focus_text: str,
        written: dt.datetime,
    ) -> None:
        r = self.rng
        if framework.graded:
            areas = [a for a in framework.judged_areas() if not a.where_relevant]
        elif plan.kind is VisitKind.FOLLOW_UP:
            return  # a follow-up checks actions; it makes no new judgements
        else:
            areas = list(framework.areas[:2])
        # A school's view of itself is fairly even across the areas.
        base = r.choice(TYPICAL_SELF_GRADES[framework.key][:3]) if framework.graded else ""
        details: set[str] = set()  # where the evidence came from, said once per visit
        for area in areas:
            peer = school = None
            aspect = AREA_ASPECT.get(area.key, "leadership")
            secure = r.random() < 0.6
            if framework.graded:
                scale = framework.scale_for(area.key)
                if area.key == SAFEGUARDING_KEY:
                    peer = school = scale[0].key
                else:
                    school = (
                        base if r.random() < 0.7 else r.choice(TYPICAL_SELF_GRADES[framework.key])
                    )
                    index = [g.key for g in scale].index(school)
                    step = r.choices((0, -1, 1), weights=(7, 2, 1))[0]
                    # Never out of the scale, never down to the lowest grade in a peer review.
                    peer = scale[min(max(index + step, 0), len(scale) - 2)].key
                    order = framework.compare(area.key, peer, school)
                    secure = order != -1 and (order == 1 or secure)
            bank = SAFEGUARDING_EVIDENCE if aspect == "safeguarding" else RATIONALE_EVIDENCE
            for _attempt in range(20):  # never the same words as another school's
                rationale = r.choice(
                    RATIONALES[aspect]["secure" if secure else "developing"]
                ).format(focus=focus_text)
                year, (class_name, _staff) = r.choice(sorted(self.classes[plan.host].items()))
                detail = r.choice(bank).format(
                    year=year, where=f" ({class_name})", n=r.randint(3, 9)
                )
                rationale += " " + detail
                if rationale not in self.used_rationales and detail not in details:
                    break
            details.add(detail)
            self.used_rationales.add(rationale)
            if framework.graded and peer != school:
                direction = "above" if framework.compare(area.key, peer, school) == 1 else "below"
                rationale = (
                    f"Reviewers placed this {direction} the school's own evaluation. " + rationale
                )
            self.add(
                Judgement,
                demo_id("judgement", plan.key, area.key),
                written,
                visit_id=visit_id,
                area_key=area.key,
                peer_grade=peer,
                self_grade=school,
                rationale=rationale,
                evidence_ids=r.sample(evidence_ids, min(len(evidence_ids), r.randint(1, 3))),
            )

    def add_actions(
        self, plan: VisitPlan, visit_id: str, themes: list[str], written: dt.datetime
    ) -> None:
        r = self.rng
        phase = self.phases[plan.host]
        pool = phrases_for(THEMES[themes[0]].actions, phase)
        for theme in themes[1:]:
            pool.append(r.choice(phrases_for(THEMES[theme].actions, phase)))
        agreed_recently = self.today - plan.day < REPORT_SENT_AFTER
        for position, (text, owner) in enumerate(r.sample(pool, min(len(pool), r.randint(2, 4)))):
            due = plan.day + dt.timedelta(weeks=r.randint(8, 20))
            # Every draw is made whatever the day, so that the text stays the same.
            finished = r.random() < 0.85
            ongoing = r.choice((ActionStatus.OPEN, ActionStatus.IN_PROGRESS))
            noted = r.random() < 0.3
            notes = [r.choice(FOLLOW_UP_NOTES) for _ in range(r.randint(1, 2))]
            if agreed_recently:
                status = ActionStatus.OPEN
            elif due < self.today - dt.timedelta(days=60):
                status = ActionStatus.DONE if finished else ActionStatus.IN_PROGRESS
            else:
                status = ongoing
            follow_up = []
            if status is not ActionStatus.OPEN or noted:
                for n, note in enumerate(notes):
                    day = plan.day + dt.timedelta(weeks=6 * (n + 1))
                    if day < self.today:
                        follow_up.append({"date": day.isoformat(), "note": note})
            self.add(
                Action,
                demo_id("action", plan.key, str(position)),
                written,
                visit_id=visit_id,
                position=position,
                description=text,
                owner=owner,
                due_date=due,
                status=status.value,
                follow_up=follow_up,
            )
