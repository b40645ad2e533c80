"""A demonstration network: the ten NEXUS alliance schools and three years of peer review.

New users, trainers and screenshots need a database that looks like a real network's year:
schools with development priorities, triads and quartets with a hosting rota, evaluation days
written in the Ofsted inspection style, half-day collaborative reviews, learning walks and the
follow-up of agreed next steps. The names of staff and headteachers are invented.

The network is dated from the day it is made: the academic year in progress, with the
visits so far written up and the rest of the year planned, and the two complete years before
it. A new user therefore sees a live network whatever the date.

The fill is deterministic and idempotent: every record has a uuid5 id derived from a
descriptive name, timestamps fixed by the visit dates and the device ``demo``, and the text is
drawn from the phrase banks below with a seeded ``random.Random``. The text of a visit does not
depend on the day the demo is made, only whether it has happened yet. Running it twice changes
nothing, and a demo database merged into another one never duplicates a record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nexus_review.demo_consistency import demo_calibration, demo_own_grades
from nexus_review.demo_network import DEMO_DEVICE, SCHOOLS, demo_id
from nexus_review.domain.calendar import academic_year_of, previous_academic_year
from nexus_review.domain.enums import (
    ActionStatus,
    EvidenceKind,
    LookForResult,
    VisitKind,
    VisitStatus,
)
from nexus_review.frameworks import SAFEGUARDING_KEY, Framework, get_framework
from nexus_review.storage.database import Database, get_info, select, set_info
from nexus_review.storage.models import (
    Action,
    DropIn,
    Evidence,
    Judgement,
    Reviewer,
    ReviewGroup,
    ReviewGroupMember,
    School,
    SchoolPriority,
    SyncMixin,
    Visit,
    VisitReviewer,
)

DEMO_SEED = 20240901
LOCAL_AUTHORITY = "South Gloucestershire"
NETWORK_NAME = "NEXUS Teaching School Alliance"
# The renewed Ofsted framework (report cards) replaced the EIF in November 2025.
REPORT_CARDS_FROM = dt.date(2025, 11, 1)

# --------------------------------------------------------------------------------------------
# The network: schools, headteachers and network leads
# --------------------------------------------------------------------------------------------

# Network leads who join learning walks and follow-ups besides the heads.
NETWORK_LEADS: tuple[tuple[str, str, str, str], ...] = (
    ("reading-lead", "Mrs Kate Brennan", "Network reading lead", "blackhorse"),
    ("assessment-lead", "Mr Ian Mallory", "Deputy headteacher, network assessment lead", "kings-forest"),
)

# Development-plan priorities, chosen so that the review groups below share one of them.
# Keyed by how many years before the current academic year they are for (0: this year).
PRIORITIES: dict[str, dict[int, tuple[str, ...]]] = {
    "mangotsfield": {
        2: ("Reading and phonics", "Assessment", "Mental health and well-being"),
        1: ("Writing", "Oracy", "Attendance"),
        0: ("Mathematics", "Writing", "Behaviour"),
    },
    "blackhorse": {
        2: ("Reading and phonics", "Oracy", "Early career teachers"),
        1: ("Oracy", "Assessment", "SEND", "Mathematics"),
        0: ("Attendance", "SEND", "Oracy"),
    },
    "bh-junior": {
        2: ("Mathematics", "Writing", "Behaviour"),
        1: ("Writing", "Curriculum", "Mental health and well-being"),
        0: ("Mathematics", "Assessment", "Curriculum"),
    },
    "bh-infant": {
        2: ("Reading and phonics", "Early years", "Oracy", "Attendance"),
        1: ("Early years", "Reading and phonics", "SEND"),
        0: ("Attendance", "Oracy", "Early years"),
    },
    "emersons-green": {
        2: ("SEND", "Curriculum", "Attendance"),
        1: ("Oracy", "Behaviour", "Early career teachers"),
        0: ("Attendance", "Behaviour", "SEND", "Oracy"),
    },
    "kings-forest": {
        2: ("Reading and phonics", "Mathematics", "Early career teachers", "SEND"),
        1: ("Early years", "Attendance", "Writing"),
        0: ("Mathematics", "Early years", "Reading and phonics"),
    },
    "staple-hill": {
        2: ("Mathematics", "Attendance", "Behaviour", "SEND"),
        1: ("Oracy", "Attendance", "Mental health and well-being"),
        0: ("Attendance", "Mathematics", "Early career teachers"),
    },
    "stanbridge": {
        2: ("SEND", "Writing", "Mental health and well-being"),
        1: ("Early years", "Mathematics", "Curriculum"),
        0: ("Mental health and well-being", "Early years", "Writing"),
    },
    "st-michaels": {
        2: ("SEND", "Assessment", "Curriculum"),
        1: ("Writing", "SEND", "Assessment", "Behaviour"),
        0: ("Mental health and well-being", "SEND", "Curriculum"),
    },
    "st-stephens": {
        2: ("Mathematics", "Curriculum", "Assessment"),
        1: ("Oracy", "Mathematics", "Reading and phonics"),
        0: ("Mental health and well-being", "Oracy", "Reading and phonics", "Assessment"),
    },
}


@dataclass(frozen=True)
class _GroupPlan:
    key: str  # the year is added: "reading-2425"
    name: str  # the year is added: "Reading quartet 2024-25"
    years_back: int  # how many years before the current one (0: this year)
    theme: str
    framework: str  # of its collaborative reviews
    members: tuple[str, ...]  # in rota order
    months: tuple[int, ...]  # the month each member hosts
    year: str = ""  # filled in by in_year()

    def in_year(self, year: str) -> _GroupPlan:
        """The group as it is for an academic year written like "2025-26"."""
        short = year[2:4] + year[5:]
        return dataclasses.replace(
            self, key=f"{self.key}-{short}", name=f"{self.name} {year}", year=year
        )


GROUPS: tuple[_GroupPlan, ...] = (
    _GroupPlan("reading", "Reading quartet", 2, "Reading and phonics",
               "developmental", ("mangotsfield", "blackhorse", "bh-infant", "kings-forest"),
               (10, 1, 3, 6)),
    _GroupPlan("maths", "Mathematics triad", 2, "Mathematics",
               "peer-estimate", ("bh-junior", "st-stephens", "staple-hill"), (11, 2, 5)),
    _GroupPlan("send", "SEND triad", 2, "SEND",
               "developmental", ("emersons-green", "stanbridge", "st-michaels"), (11, 3, 6)),
    _GroupPlan("oracy", "Oracy quartet", 1, "Oracy",
               "developmental", ("blackhorse", "emersons-green", "st-stephens", "staple-hill"),
               (10, 1, 3, 7)),
    _GroupPlan("writing", "Writing triad", 1, "Writing",
               "peer-estimate", ("mangotsfield", "bh-junior", "st-michaels"), (11, 2, 5)),
    _GroupPlan("early-years", "Early years triad", 1, "Early years",
               "developmental", ("bh-infant", "kings-forest", "stanbridge"), (12, 3, 6)),
    _GroupPlan("attendance", "Attendance quartet", 0, "Attendance",
               "developmental", ("blackhorse", "bh-infant", "emersons-green", "staple-hill"),
               (10, 1, 3, 6)),
    _GroupPlan("maths", "Mathematics triad", 0, "Mathematics",
               "peer-estimate", ("mangotsfield", "bh-junior", "kings-forest"), (11, 2, 5)),
    _GroupPlan("well-being", "Mental health and well-being triad", 0,
               "Mental health and well-being", "developmental",
               ("stanbridge", "st-michaels", "st-stephens"), (11, 3, 6)),
)

# Evaluation days: school i is visited by the heads of schools i+a and i+b (mod 10), so every
# head does exactly two days a year, never in their own school. Keyed like PRIORITIES.
EVALUATION_OFFSETS = {2: (1, 4), 1: (3, 7), 0: (2, 6)}
EVALUATION_MONTHS = {
    2: (9, 10, 11, 12, 1, 2, 3, 4, 5, 6),
    1: (9, 10, 10, 11, 12, 1, 2, 4, 5, 6),
    0: (9, 10, 11, 11, 12, 1, 2, 3, 5, 6),
}
# A report is drafted within a week of the visit and sent to the school within a fortnight.
REPORT_SENT_AFTER = dt.timedelta(days=14)

# School holidays (South Gloucestershire, as published for these years): no visits then.
# Other years follow the usual pattern (see school_holidays).
HOLIDAYS: tuple[tuple[dt.date, dt.date], ...] = (
    (dt.date(2024, 10, 28), dt.date(2024, 11, 1)),
    (dt.date(2024, 12, 23), dt.date(2025, 1, 3)),
    (dt.date(2025, 2, 17), dt.date(2025, 2, 21)),
    (dt.date(2025, 4, 7), dt.date(2025, 4, 21)),
    (dt.date(2025, 5, 26), dt.date(2025, 5, 30)),
    (dt.date(2025, 7, 23), dt.date(2025, 9, 2)),
    (dt.date(2025, 10, 27), dt.date(2025, 10, 31)),
    (dt.date(2025, 12, 22), dt.date(2026, 1, 2)),
    (dt.date(2026, 2, 16), dt.date(2026, 2, 20)),
    (dt.date(2026, 3, 30), dt.date(2026, 4, 10)),
    (dt.date(2026, 5, 25), dt.date(2026, 5, 29)),
    (dt.date(2026, 7, 22), dt.date(2026, 9, 1)),
)


def _easter(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    sunday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * sunday) // 451
    month, day = divmod(h + sunday - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _monday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def school_holidays(start: int) -> tuple[tuple[dt.date, dt.date], ...]:
    """The holidays of the academic year that starts in September of ``start``: as published
    where HOLIDAYS has them, otherwise the usual English pattern: half terms in the last week
    of October, the third week of February and the last week of May, a fortnight at Christmas
    and at Easter, and the summer from the fourth week of July."""
    first, last = dt.date(start, 9, 1), dt.date(start + 1, 8, 31)
    published = tuple(h for h in HOLIDAYS if first <= h[0] <= last)
    if published:
        return published
    week = dt.timedelta(days=4)
    october = _monday_on_or_before(dt.date(start, 10, 31))
    christmas = _monday_on_or_before(dt.date(start, 12, 23))
    february = _monday_on_or_before(dt.date(start + 1, 2, 21))
    easter = _easter(start + 1)
    may = _monday_on_or_before(dt.date(start + 1, 5, 31))
    return (
        (october, october + week),
        (christmas, christmas + dt.timedelta(days=11)),
        (february, february + week),
        (easter - dt.timedelta(days=6), easter + dt.timedelta(days=5)),
        (may, may + week),
        (dt.date(start + 1, 7, 22), last),
    )


CLASS_NAMES = (
    "Oak", "Willow", "Ash", "Beech", "Rowan", "Hazel", "Elm", "Chestnut", "Sycamore", "Maple",
    "Birch", "Holly", "Cedar", "Alder", "Hawthorn", "Larch",
)
YEAR_GROUPS = {
    "Primary": ("Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"),
    "Infant": ("Reception", "Year 1", "Year 2"),
    "Junior": ("Year 3", "Year 4", "Year 5", "Year 6"),
}
TITLES = ("Mrs", "Mr", "Miss", "Ms", "Mrs", "Miss")
INITIALS = "ABCDEFGHJKLMNPRSTW"
SURNAMES = (
    "Patel", "Hughes", "Evans", "Clarke", "Bennett", "Morgan", "Khan", "Harding", "Lewis",
    "Turner", "Ellis", "Price", "Walsh", "Doyle", "Reid", "Fisher", "Baker", "Cooper", "Nowak",
    "Ahmed", "Griffiths", "Barnes", "Shaw", "Kaur", "Osei", "Marsh", "Tucker", "Lane",
)

# --------------------------------------------------------------------------------------------
# Phrase banks: what reviewers actually write, theme by theme
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Theme:
    descriptions: tuple[str, ...]
    specifics: tuple[str, ...]  # narrower focus areas a visit may agree
    subjects: tuple[str, ...]
    summary: tuple[str, ...]
    strengths: tuple[str, ...]
    ebis: tuple[str, ...]
    questions: tuple[str, ...]
    lesson_notes: tuple[str, ...]  # "{year}" is replaced by the year group
    look_fors: tuple[str, ...]
    actions: tuple[tuple[str, str], ...]  # (next step, owner)
    years: tuple[str, ...] = ()  # the year groups where lessons on this theme are seen


THEMES: dict[str, _Theme] = {
    "Reading and phonics": _Theme(
        descriptions=(
            "Ensure every pupil keeps up with the phonics programme so that at least 85% meet the Year 1 screening check.",
            "Develop a love of reading so that pupils read widely and often, at school and at home.",
        ),
        specifics=("Phonics in Year 1", "The lowest 20% of readers", "Reading for pleasure"),
        subjects=("Phonics", "English (reading)", "Guided reading"),
        summary=(
            "Phonics is taught with real consistency: every adult used the same routines and the same language, and pupils apply what they know when they meet unfamiliar words.",
            "Leaders know which pupils are not keeping up and have put daily keep-up sessions in place, although the impact of these is not yet tracked sharply enough.",
            "Books are closely matched to the sounds pupils know, and pupils read them with growing fluency and confidence.",
        ),
        strengths=(
            "Every phonics lesson seen followed the programme's routines with pace and precision.",
            "Decodable books are matched carefully to the sounds pupils have been taught.",
            "Pupils talked with enthusiasm about the class novel and the authors they love.",
            "Keep-up sessions happen the same day, so gaps do not have time to widen.",
            "The reading spine gives every class a shared diet of high-quality texts.",
            "Teaching assistants have been trained alongside teachers and model sounds accurately.",
        ),
        ebis=(
            "Even better if the lowest 20% of readers read to an adult every day, not only in keep-up sessions.",
            "Even better if assessment every six weeks were used to regroup pupils more quickly.",
            "Even better if older pupils who are still at an early stage had age-appropriate decodable texts.",
            "Even better if the reading areas in Key Stage 2 were as inviting as those in Key Stage 1.",
        ),
        questions=(
            "How do you know that the lowest 20% of readers are catching up quickly enough?",
            "What would a pupil who joined in Year 3 unable to read experience in their first fortnight?",
            "How do you know that reading at home is happening for the pupils who need it most?",
            "Which part of the phonics programme is least consistently taught, and how do you know?",
        ),
        lesson_notes=(
            "{year} phonics: review, teach, practise, apply in 25 minutes. Pupils blended confidently; two pupils needed support with the new digraph and were noted for keep-up.",
            "{year} shared reading: the teacher modelled prosody well and pupils echo-read with expression. Vocabulary was pre-taught on the working wall.",
            "{year} guided reading: a carousel in which the independent tasks kept pupils busy but were not all about reading; the group with the teacher made strong progress in inference.",
        ),
        look_fors=(
            "Pupils read books matched to their phonics stage",
            "Adults use the programme's consistent language",
            "All pupils respond during choral reading",
            "Reading areas are inviting and well stocked",
            "Pupils at risk of falling behind are identified",
        ),
        actions=(
            ("Track the progress of the lowest 20% of readers every half term and share it with governors.", "Reading lead"),
            ("Provide daily one-to-one reading for pupils not keeping up with the programme.", "Reading lead"),
            ("Refresh Key Stage 2 reading areas and launch a reading-for-pleasure challenge.", "English lead"),
        ),
        years=("Reception", "Year 1", "Year 2", "Year 3"),
    ),
    "Assessment": _Theme(
        descriptions=(
            "Make assessment lighter and more useful, so that teachers act on what pupils do not yet know.",
            "Secure accurate teacher assessment through moderation with NEXUS schools.",
        ),
        specifics=("Moderation of writing", "Assessment for learning in lessons", "Use of data by governors"),
        subjects=("Mathematics", "English (writing)", "Science"),
        summary=(
            "Teachers check understanding often and adapt their teaching in the moment; the best examples were in mathematics, where misconceptions were picked up within minutes.",
            "Leaders have reduced the number of data drops, and the information they now collect is used to plan interventions rather than simply reported.",
            "Moderated judgements in writing agreed with the school's own in almost every case, which gives confidence in the school's end-of-key-stage predictions.",
        ),
        strengths=(
            "Mini-whiteboards were used well so that teachers could see every pupil's answer.",
            "Teacher assessment judgements in writing were accurate when moderated across the group.",
            "Pupil progress meetings focus on named pupils and agreed actions, not on spreadsheets.",
            "Hinge questions were planned into lessons and used to decide who moved on.",
            "Leaders have cut workload by removing termly tests that told teachers nothing new.",
        ),
        ebis=(
            "Even better if feedback in books led more often to pupils improving their work.",
            "Even better if governors received a short summary of groups at risk rather than whole-school percentages.",
            "Even better if foundation subjects had a light-touch way of checking what pupils remember.",
            "Even better if cold calling were used so that not only volunteers answered.",
        ),
        questions=(
            "What do you stop doing when the assessment information tells you something is working?",
            "How do you know that your Year 2 teacher assessments would match those of another school?",
            "Which piece of assessment information would you keep if you could keep only one?",
        ),
        lesson_notes=(
            "{year} mathematics: the teacher used a hinge question after the modelling and split the class into two groups on the spot; the group that needed more practice made visible progress.",
            "{year} writing: pupils self-assessed against a short checklist, but few made changes as a result; the editing time was spent copying out neatly.",
            "{year} science: a retrieval quiz at the start of the lesson with five questions on earlier units, answers marked together and misconceptions addressed immediately.",
        ),
        look_fors=(
            "Teachers check the understanding of all pupils",
            "Misconceptions are addressed in the lesson",
            "Feedback leads to improved work",
            "Retrieval practice is part of the lesson",
        ),
        actions=(
            ("Run a cross-school moderation session for Year 2 and Year 6 writing before the spring data drop.", "Assessment lead"),
            ("Replace termly foundation-subject tests with short end-of-unit quizzes.", "Curriculum lead"),
            ("Give governors a one-page summary of groups at risk each term.", "Headteacher"),
        ),
    ),
    "Oracy": _Theme(
        descriptions=(
            "Develop pupils' spoken language so that every child can explain, discuss and present with confidence.",
            "Embed structured talk routines in every classroom, starting in the early years.",
        ),
        specifics=("Structured talk in mathematics", "Vocabulary in the early years", "Presenting to an audience"),
        subjects=("English", "Mathematics", "History", "Religious education"),
        summary=(
            "Talk is planned, not left to chance: sentence stems and talk partners are used in every class and pupils speak in full sentences without prompting.",
            "The oracy framework gives staff a shared language, although expectations of talk in the wider curriculum are less consistent than in English.",
            "Pupils listen respectfully and build on each other's ideas; the strongest discussions were in Year 6 religious education.",
        ),
        strengths=(
            "Talk partners and sentence stems are used routinely in every classroom visited.",
            "Pupils used ambitious vocabulary taught earlier in the unit without prompting.",
            "Adults in Reception model extended talk and expand children's responses skilfully.",
            "Discussion guidelines are displayed and referred to, so pupils take turns well.",
            "Pupils spoke confidently to visitors and explained their learning clearly.",
        ),
        ebis=(
            "Even better if talk tasks had a clear purpose so that discussion moved learning on.",
            "Even better if quieter pupils were given thinking time and then asked to speak first.",
            "Even better if oracy were planned into foundation subjects with the same care as in English.",
            "Even better if adults avoided answering their own questions during whole-class discussion.",
        ),
        questions=(
            "How do you know that the quietest pupils are talking as much as the most confident?",
            "What does progress in oracy look like between Reception and Year 6, and could a teacher describe it?",
            "Where in the curriculum do pupils speak to an audience they do not know?",
        ),
        lesson_notes=(
            "{year} history: a debate on whether the Romans improved life in Britain: pupils used the 'I agree with … because …' stems well; the same four pupils dominated the whole-class part.",
            "{year} mathematics: pupils explained their reasoning to a partner using the stem 'I know … so …'; the teacher chose pupils to share rather than taking volunteers.",
            "{year} English: pupils retold the story with actions and story maps; adults recast short answers into full sentences.",
        ),
        look_fors=(
            "Pupils speak in full sentences",
            "Talk partners are used purposefully",
            "Sentence stems are available and used",
            "Adults model the vocabulary of the unit",
        ),
        actions=(
            ("Map oracy opportunities across the foundation subjects for each year group.", "Oracy lead"),
            ("Hold staff coaching sessions on managing whole-class discussion.", "Deputy headteacher"),
            ("Introduce a Year 6 presentation to governors in the summer term.", "Headteacher"),
        ),
    ),
    "SEND": _Theme(
        descriptions=(
            "Ensure pupils with special educational needs access the full curriculum in class, with adaptations rather than separate work.",
            "Strengthen the graduated approach so that support plans are precise and reviewed with families.",
        ),
        specifics=("Adaptive teaching for pupils with SEND", "Deployment of teaching assistants", "Support plans and reviews"),
        subjects=("Mathematics", "English", "Science", "Geography"),
        summary=(
            "Pupils with SEND learn alongside their peers for most of the day, and teachers adapt resources thoughtfully rather than providing different work.",
            "The SENCo knows every pupil on the register well, and support plans are reviewed with families three times a year.",
            "Teaching assistants are well informed about the pupils they support, although in some lessons they did too much of the thinking for pupils.",
        ),
        strengths=(
            "Pupils with SEND were included in the main lesson with well-chosen adaptations.",
            "Support plans contain precise, measurable targets that staff know and use.",
            "Visual timetables and now-and-next boards were used consistently.",
            "Families speak highly of the SENCo's communication and the termly reviews.",
            "Teaching assistants pre-teach vocabulary so that pupils can take part in the lesson.",
        ),
        ebis=(
            "Even better if teaching assistants were deployed to scaffold rather than complete tasks.",
            "Even better if the progress of pupils with SEND in foundation subjects were checked.",
            "Even better if pupils withdrawn for interventions did not always miss the same lesson.",
            "Even better if the provision map showed the impact of each intervention.",
        ),
        questions=(
            "How do you know that interventions are making a difference rather than just happening?",
            "Which pupils with SEND are missing the most classroom teaching, and what are they missing?",
            "How would a pupil with SEND describe what helps them learn?",
        ),
        lesson_notes=(
            "{year} mathematics: the pupil with an EHC plan used the same task with concrete resources and a worked example; the teaching assistant stepped back once the pupil was started.",
            "{year} English: two pupils were taken out for an intervention at the start of the lesson and returned for the independent writing without having heard the modelling.",
            "{year} science: key vocabulary was pre-taught with symbols and pupils with SEND answered questions in the whole-class discussion.",
        ),
        look_fors=(
            "Pupils with SEND work on the same curriculum as their peers",
            "Adaptations are visible and appropriate",
            "Teaching assistants promote independence",
            "Visual supports are in use",
        ),
        actions=(
            ("Train teaching assistants in scaffolding techniques that promote independence.", "SENCo"),
            ("Rotate intervention times so pupils do not always miss the same subject.", "SENCo"),
            ("Add impact measures to the provision map and review them each half term.", "SENCo"),
        ),
    ),
    "Attendance": _Theme(
        descriptions=(
            "Reduce persistent absence, particularly for disadvantaged pupils, to below the national average.",
            "Work with families early so that attendance concerns do not become entrenched.",
        ),
        specifics=("Persistent absence of disadvantaged pupils", "Working with families", "Punctuality"),
        subjects=("Mathematics", "English"),
        summary=(
            "Leaders know the attendance of every pupil and act quickly: first-day calls, home visits and a clear ladder of support are in place.",
            "Persistent absence has fallen this year, but the gap between disadvantaged pupils and their peers remains too wide.",
            "The family support worker is a real strength, and families describe the school's approach as firm but kind.",
        ),
        strengths=(
            "First-day absence calls are made before 9.30 and followed up with a home visit on day three.",
            "Attendance information is analysed weekly by group, not just for the whole school.",
            "The family support worker has built trusting relationships with families who find school hard.",
            "The breakfast club has improved punctuality for the pupils who attend it.",
        ),
        ebis=(
            "Even better if governors challenged the attendance of disadvantaged pupils more closely.",
            "Even better if pupils whose attendance has improved were recognised with their families.",
            "Even better if attendance targets were set for individual pupils, not only for groups.",
        ),
        questions=(
            "What is different for the pupils whose attendance improved this year, and can it be repeated?",
            "How do you know that the breakfast club reaches the families who need it most?",
            "Which absences do you currently accept that you could challenge?",
        ),
        lesson_notes=(
            "{year} registration: at 8.50 three pupils late, all greeted warmly and logged; the class teacher knew the reasons without checking.",
            "{year} early morning reading: a calm start with a reading activity, so late arrivals joined without disruption.",
        ),
        look_fors=(
            "A calm, purposeful start to the day",
            "Late arrivals are welcomed and logged",
            "Attendance is celebrated in class",
        ),
        actions=(
            ("Set individual attendance targets for persistently absent pupils with their families.", "Attendance lead"),
            ("Report the attendance of disadvantaged pupils to governors each half term.", "Headteacher"),
            ("Extend breakfast club places to families identified by the family support worker.", "Family support worker"),
        ),
    ),
    "Early career teachers": _Theme(
        descriptions=(
            "Provide early career teachers with high-quality mentoring so that they thrive and stay in the profession.",
            "Build a coaching culture in which every teacher receives regular, focused feedback.",
        ),
        specifics=("Mentoring of early career teachers", "Instructional coaching", "Behaviour routines for new teachers"),
        subjects=("Mathematics", "English", "Science"),
        summary=(
            "Early career teachers are well supported: weekly mentor meetings focus on one step at a time, and the teachers spoke warmly about the help they receive.",
            "Instructional coaching has been introduced for all staff, though the action steps are not always precise enough to change practice quickly.",
        ),
        strengths=(
            "Mentor meetings focus on one precise action step and are followed up within a week.",
            "Early career teachers have protected time to observe expert colleagues.",
            "Workload is considered carefully; planning is shared across year groups.",
            "Early career teachers established clear routines for transitions and talk.",
        ),
        ebis=(
            "Even better if action steps were rehearsed in the meeting before being tried in class.",
            "Even better if mentors had more time for their own training.",
            "Even better if early career teachers visited other NEXUS schools to see the same phase.",
        ),
        questions=(
            "How do you know that coaching is changing what happens in classrooms?",
            "What would your early career teachers say is the most and least useful part of their support?",
            "How does the school decide what an early career teacher should work on next?",
        ),
        lesson_notes=(
            "{year} mathematics, taught by an early career teacher: clear modelling and well-practised routines; questioning relied on hands up, which the mentor had already identified.",
            "{year} science: the early career teacher used a countdown and a visual cue for transitions, and the class settled within seconds.",
        ),
        look_fors=(
            "Routines are clear and consistently applied",
            "Modelling is clear and well paced",
            "Questioning involves all pupils",
        ),
        actions=(
            ("Include a rehearsal of each action step in every coaching meeting.", "Deputy headteacher"),
            ("Arrange visits for early career teachers to two other NEXUS schools.", "Headteacher"),
            ("Ring-fence time each half term for mentor training.", "ECT mentor"),
        ),
    ),
    "Writing": _Theme(
        descriptions=(
            "Raise standards in writing, particularly for boys, through explicit teaching of sentence construction.",
            "Improve handwriting and transcription so that pupils write fluently at length.",
        ),
        specifics=("Sentence-level grammar", "Handwriting and transcription", "Writing at length in Key Stage 2"),
        subjects=("English (writing)", "History", "Science"),
        summary=(
            "The writing sequence is well structured: pupils study a model text, practise sentence types and then plan and write with a clear audience in mind.",
            "Transcription remains a barrier for some pupils, and handwriting is inconsistent once pupils move beyond the English book.",
            "Boys were as engaged as girls in every writing lesson seen, and their books show good progress since September.",
        ),
        strengths=(
            "Shared writing was modelled live, with the teacher thinking aloud about word choices.",
            "Pupils' books show clear progress from the first draft of the year to the latest.",
            "Sentence-level work is taught explicitly and applied in extended writing.",
            "Writing has a real audience and purpose, which motivates pupils.",
            "Working walls capture the class's shared writing and are used by pupils.",
        ),
        ebis=(
            "Even better if handwriting expectations were the same in every book, not just English.",
            "Even better if pupils had more time to edit and improve their own writing.",
            "Even better if spelling was taught with the same rigour as grammar.",
            "Even better if the standard of writing in science and history matched that in English.",
        ),
        questions=(
            "How do you know which part of the writing process holds back boys most?",
            "What would you expect a Year 4 pupil to write in a history lesson, and do they?",
            "How are pupils taught to edit, rather than simply to check?",
        ),
        lesson_notes=(
            "{year} English: teacher modelled a paragraph live, pupils then wrote their own using the same structure; high expectations for presentation and correct use of fronted adverbials.",
            "{year} English: an editing lesson in which pupils used purple pens to improve a paragraph; most changes were to spelling and punctuation rather than to the effect on the reader.",
            "{year} handwriting: short, focused practice of joins; the teacher circulated and corrected letter formation immediately.",
        ),
        look_fors=(
            "Live modelling of writing",
            "Pupils apply taught sentence structures",
            "Handwriting meets the school's expectations",
            "Pupils edit to improve their writing",
        ),
        actions=(
            ("Agree one handwriting expectation for every book and check it at the next scrutiny.", "English lead"),
            ("Build a weekly editing lesson into the writing sequence.", "English lead"),
            ("Review the spelling programme against the national curriculum word lists.", "English lead"),
        ),
        years=("Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"),
    ),
    "Mathematics": _Theme(
        descriptions=(
            "Secure fluency in number facts so that all pupils are ready for the Year 4 multiplication tables check.",
            "Deepen reasoning and problem solving through a mastery approach to mathematics.",
        ),
        specifics=("Fluency in number facts", "Reasoning and problem solving", "The multiplication tables check"),
        subjects=("Mathematics",),
        summary=(
            "Mathematics lessons are well structured, with clear small steps and purposeful use of concrete and pictorial representations.",
            "Daily fluency sessions are having a visible impact: pupils recalled facts quickly and used them to solve problems.",
            "Reasoning is a developing strength; pupils explain their methods well but are less confident when asked to prove or generalise.",
        ),
        strengths=(
            "Lessons are broken into small steps with worked examples before independent practice.",
            "Concrete resources and bar models are used well to expose the structure of problems.",
            "Daily fluency sessions have improved pupils' recall of number facts.",
            "Pupils use precise mathematical vocabulary when explaining their reasoning.",
            "Pupils who do not grasp a step are supported the same day.",
        ),
        ebis=(
            "Even better if pupils who grasp a concept quickly were challenged with depth rather than more of the same.",
            "Even better if the independent practice included varied examples, not only repeated ones.",
            "Even better if reasoning tasks were part of every lesson, not only the end of a unit.",
            "Even better if fluency sessions were matched to what each class has not yet secured.",
        ),
        questions=(
            "How do you know that pupils can use a method when the problem looks unfamiliar?",
            "What happens for the pupil who has still not secured their times tables in Year 5?",
            "Where do pupils meet problems that have more than one answer?",
        ),
        lesson_notes=(
            "{year} mathematics: fractions, with a clear worked example with a bar model, then 'your turn' on whiteboards; three pupils held back for a same-day keep-up.",
            "{year} mathematics: a fluency session of ten minutes of times tables games, every pupil engaged; the teacher noted which facts were still slow.",
            "{year} mathematics: a reasoning task in which pupils were asked 'always, sometimes or never true?' and justified their answers to partners; most answered 'sometimes' without finding an example.",
        ),
        look_fors=(
            "Concrete and pictorial representations are used",
            "Pupils explain their reasoning",
            "Fluency practice is purposeful",
            "Challenge through depth for those who are ready",
        ),
        actions=(
            ("Plan 'going deeper' tasks for each unit and share them across the triad.", "Maths lead"),
            ("Analyse the multiplication tables check results by fact and adjust fluency sessions.", "Maths lead"),
            ("Observe a lesson in another NEXUS school focusing on reasoning.", "Maths lead"),
        ),
        years=("Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"),
    ),
    "Curriculum": _Theme(
        descriptions=(
            "Sequence the foundation subjects so that pupils build knowledge cumulatively from Reception to Year 6.",
            "Develop subject leadership so that every leader knows how well their subject is taught.",
        ),
        specifics=("Subject leadership in the foundation subjects", "Curriculum sequencing", "Disciplinary knowledge in history"),
        subjects=("History", "Geography", "Science", "Art and design", "Music"),
        summary=(
            "The curriculum is ambitious and well sequenced; subject leaders can explain why topics are taught in the order they are.",
            "Pupils remember a great deal of what they have been taught in history and geography, and connect new learning to earlier units.",
            "Subject leaders are enthusiastic, though some have had little time to check how well their subject is taught.",
        ),
        strengths=(
            "Subject leaders can explain how knowledge builds from one year to the next.",
            "Pupils recalled earlier units and made links between them without prompting.",
            "Knowledge organisers are used for retrieval, not simply sent home.",
            "Visits and visitors are planned to deepen the curriculum, not just to enrich it.",
        ),
        ebis=(
            "Even better if subject leaders had time to see their subject taught in every key stage.",
            "Even better if disciplinary knowledge, such as how historians use sources, were as clear as substantive knowledge.",
            "Even better if the curriculum for the early years showed how it prepares children for Year 1 subjects.",
        ),
        questions=(
            "What do you want pupils to remember from this unit in five years' time?",
            "How does a subject leader know what is happening in a classroom they have not visited?",
            "Where is the curriculum most fragile if a key member of staff leaves?",
        ),
        lesson_notes=(
            "{year} geography: the lesson began with a retrieval quiz on the previous unit's map skills; pupils then compared two settlements using an aerial photograph.",
            "{year} history: pupils used two sources about the same event and discussed why they disagree; strong disciplinary thinking from a minority of pupils.",
            "{year} science: practical enquiry well organised, but the purpose of the investigation was not made clear until the end.",
        ),
        look_fors=(
            "Lessons connect to prior learning",
            "Subject-specific vocabulary is taught",
            "Retrieval practice is used",
            "Pupils can say what they are learning and why",
        ),
        actions=(
            ("Give each subject leader half a day a term to monitor their subject.", "Headteacher"),
            ("Add disciplinary knowledge to the history and geography progression documents.", "Curriculum lead"),
            ("Hold a NEXUS subject-leader network meeting on sequencing.", "Curriculum lead"),
        ),
    ),
    "Behaviour": _Theme(
        descriptions=(
            "Establish consistent routines for behaviour so that all pupils learn without disruption.",
            "Reduce suspensions by strengthening early support for pupils who struggle to regulate.",
        ),
        specifics=("Consistency of routines", "Unstructured times", "Support for pupils who dysregulate"),
        subjects=("English", "Mathematics", "Physical education"),
        summary=(
            "Behaviour in lessons is calm and purposeful, and pupils understand the school's three simple rules.",
            "Routines are consistent in classrooms; lunchtimes are less settled and a small number of pupils find them difficult.",
            "Pupils who find regulation hard are well known to staff and are supported sensitively.",
        ),
        strengths=(
            "Classrooms are calm; pupils settle quickly and move between activities sensibly.",
            "Staff use the same language and routines, so pupils know what to expect.",
            "Pupils said that adults deal with the rare incidents of unkindness quickly.",
            "Regulation spaces are used well and pupils return to learning promptly.",
        ),
        ebis=(
            "Even better if lunchtime supervisors had the same training as classroom staff.",
            "Even better if behaviour records were analysed for patterns by time and place.",
            "Even better if praise were more specific to the behaviour being recognised.",
        ),
        questions=(
            "What does a good lunchtime look like, and who would agree that you have one?",
            "How do you know that your approach is consistent when the class teacher is absent?",
            "Which pupils have the most incidents, and what has changed for them this year?",
        ),
        lesson_notes=(
            "{year} English: the transition from carpet to tables took under a minute; the teacher used a countdown and narrated positive behaviour.",
            "{year} mathematics: one pupil became distressed during independent work; the teaching assistant used the agreed script and the pupil rejoined within five minutes.",
        ),
        look_fors=(
            "Routines are consistent",
            "Pupils are attentive and engaged",
            "Staff use agreed behaviour language",
        ),
        actions=(
            ("Train lunchtime supervisors in the school's behaviour routines.", "Deputy headteacher"),
            ("Analyse behaviour logs by time and place each half term.", "Behaviour lead"),
            ("Introduce structured play activities at lunchtime.", "PE lead"),
        ),
    ),
    "Early years": _Theme(
        descriptions=(
            "Strengthen communication and language in Reception so that more children reach a good level of development.",
            "Make continuous provision purposeful, with adults interacting to extend learning.",
        ),
        specifics=("Communication and language", "Continuous provision", "Transition to Year 1"),
        subjects=("Early years (continuous provision)", "Early years (phonics)", "Early years (mathematics)"),
        summary=(
            "The early years environment is rich and well organised, and adults interact skilfully to extend children's language.",
            "Children settle quickly and are confident, independent learners; routines are well established by the spring term.",
            "Continuous provision is well resourced, though the learning intended in some areas was not always clear to the adults there.",
        ),
        strengths=(
            "Adults model language well and extend children's sentences in play.",
            "Children are independent and select resources purposefully.",
            "The outdoor area offers the same quality of learning as the classroom.",
            "Stories, rhymes and songs are a daily part of the provision.",
            "Transition to Year 1 is carefully planned, with shared routines.",
        ),
        ebis=(
            "Even better if every adult knew the intended learning in each area of provision.",
            "Even better if children's early mathematics were extended more in play.",
            "Even better if the progress of children who start with low language were tracked closely.",
        ),
        questions=(
            "How do you know that the interactions in continuous provision are moving learning on?",
            "What would a child who started with very little language have learned by Christmas?",
            "How does Year 1 build on what children did in Reception?",
        ),
        lesson_notes=(
            "{year} continuous provision: the adult in the construction area extended children's language ('tall, taller, tallest') and recorded an observation; the creative area was unsupervised and less purposeful.",
            "{year} story time: a well-paced story with repeated refrains; children joined in with actions and answered 'why' questions.",
            "{year} outdoor mathematics: a trail with counting challenges; children worked in pairs and explained how they had counted.",
        ),
        look_fors=(
            "Adults extend children's language",
            "Continuous provision has a clear purpose",
            "Children are independent and engaged",
            "Stories and rhymes are shared daily",
        ),
        actions=(
            ("Add the intended learning to each area of continuous provision.", "Early years lead"),
            ("Track children who start with low language every half term.", "Early years lead"),
            ("Plan a joint Reception and Year 1 moderation of early learning goals.", "Early years lead"),
        ),
        years=("Reception",),
    ),
    "Mental health and well-being": _Theme(
        descriptions=(
            "Support pupils' mental health through a whole-school approach that staff and families understand.",
            "Look after staff well-being by reducing unnecessary workload.",
        ),
        specifics=("Pupils' emotional literacy", "Staff well-being and workload", "Trusted adults"),
        subjects=("PSHE", "Relationships education"),
        summary=(
            "Pupils feel safe and cared for; they can name a trusted adult and know how to share a worry.",
            "The school's well-being offer is comprehensive, and staff describe leaders as approachable and considerate of workload.",
        ),
        strengths=(
            "Pupils can name a trusted adult and know how to share a worry.",
            "Check-ins at the start of the day help staff notice pupils who are struggling.",
            "Staff said that leaders protect their time and listen to their concerns.",
            "The PSHE curriculum teaches pupils the language to describe their feelings.",
        ),
        ebis=(
            "Even better if the impact of well-being interventions were measured.",
            "Even better if families were given more information about the support available.",
            "Even better if pupil well-being ambassadors had a clearer role.",
        ),
        questions=(
            "How do you know which pupils are struggling but not showing it?",
            "What has the school stopped doing to reduce staff workload?",
            "How would a family new to the school find out about the support available?",
        ),
        lesson_notes=(
            "{year} PSHE: pupils discussed how to recognise worry in themselves and others, using a shared vocabulary of feelings; sensitive and well managed.",
            "{year} morning check-in: pupils placed names on the feelings chart; the teacher quietly spoke to two pupils afterwards.",
        ),
        look_fors=(
            "Pupils know who their trusted adults are",
            "Emotional vocabulary is taught and used",
            "Calm spaces are available",
        ),
        actions=(
            ("Measure the impact of well-being interventions using a short pupil survey.", "Mental health lead"),
            ("Publish a well-being guide for families on the school website.", "Mental health lead"),
            ("Review the marking policy to cut staff workload.", "Headteacher"),
        ),
    ),
}

THEME_NAMES: tuple[str, ...] = tuple(THEMES)

# Lines that could belong to any visit, so that no two reports read alike.
GENERAL_STRENGTHS = (
    "Pupils were courteous and proud to talk about their school.",
    "Leaders' self-evaluation was honest and closely matched what reviewers saw.",
    "Staff morale is high and staff spoke warmly about working at the school.",
    "Relationships between adults and pupils are warm and respectful.",
    "Leaders welcomed challenge and took part openly in the review.",
)
GENERAL_EBIS = (
    "Even better if the school's monitoring recorded the impact of actions, not only that they happened.",
    "Even better if governors visited with a focus linked to the development plan.",
)
GENERAL_QUESTIONS = (
    "What will you stop doing to make room for this priority?",
    "How will you know, by the end of the year, that this priority has been achieved?",
)
OPENERS = {
    VisitKind.EVALUATION_DAY: "Reviewers spent a full day at {school} testing the school's self-evaluation against the agreed focus on {focus}.",
    VisitKind.COLLABORATIVE_REVIEW: "The {group} spent half a day at {school}, invited to look in depth at {focus}.",
    VisitKind.LEARNING_WALK: "A joint learning walk at {school} looked at {focus} across the school.",
    VisitKind.FOLLOW_UP: "This follow-up visit to {school} checked progress on the next steps agreed at the earlier review of {focus}.",
}
CLOSINGS = (
    "Leaders agreed the next steps below and will report on them at the next group meeting.",
    "The review team thanks staff and pupils for their openness and warm welcome.",
    "Leaders' evaluation was accurate, and the next steps below build on work already under way.",
    "The questions below are offered to support the school's own thinking rather than as recommendations.",
)
PUPIL_VOICE_NOTES = (
    "Pupils spoke confidently about {focus}; they could explain what helps them learn and gave examples from recent lessons.",
    "Pupils said they enjoy school and feel safe. When asked about {focus}, most gave thoughtful answers, though younger pupils were less sure.",
    "The group was articulate and positive. Pupils described recent work linked to {focus} in detail and said adults help them when they are stuck.",
)
SCRUTINY_NOTES = (
    "Books from three classes showed consistent expectations and clear progress since September; presentation slipped in the lower-attaining group.",
    "Work is well sequenced and shows pupils revisiting earlier learning; feedback is acted on in most books.",
    "The volume of work is appropriate and pupils write at length; the quality of work in the wider curriculum is more variable.",
)
MEETING_NOTES = (
    "Leaders explained the rationale for their work on {focus}, the actions taken since September and how they check impact. Their evaluation was candid.",
    "The headteacher and subject lead talked through the development plan; they identified {focus} as the area where progress is slowest and explained why.",
    "Discussion with the senior team and a governor: clear understanding of strengths and next steps for {focus}; governors receive regular updates.",
)
DATA_NOTES = (
    "Internal assessment information shows disadvantaged pupils catching up in reading but not yet in writing; the school's analysis matched ours.",
    "End of key stage results were reviewed alongside the school's tracking; the gap for pupils with SEND is narrowing.",
)
DROP_IN_NOTES = (
    "Calm and focused; all pupils engaged.",
    "Good use of the working wall.",
    "Adult supporting a small group well.",
    "Pupils able to explain their task.",
    "Transition under way; brief visit.",
    "Strong modelling by the teacher.",
    "Some pupils waiting for help.",
    "Independent practice; most on task.",
)
FOLLOW_UP_NOTES = (
    "Reported at the group meeting: under way, early signs of impact.",
    "Discussed with governors; timescale confirmed.",
    "Checked on the follow-up visit: in place in every class.",
    "Training delivered; monitoring planned for next half term.",
)
# Per aspect: what reviewers write when the area is secure, and when it is still developing
# (a peer grade below the school's own always comes with a "developing" rationale).
RATIONALES: dict[str, dict[str, tuple[str, ...]]] = {
    "teaching": {
        "secure": (
            "Lessons seen were well structured and pupils knew what they were learning; teaching of {focus} was consistent across classes.",
            "The curriculum is ambitious and well taught; teachers' subject knowledge showed in precise explanations and well-chosen examples.",
        ),
        "developing": (
            "The curriculum is ambitious, although adaptations for some pupils were less secure and lessons varied in pace.",
            "Teaching of {focus} is improving, but checks on understanding were not used consistently in every class.",
        ),
    },
    "outcomes": {
        "secure": (
            "Work in books and the school's information show most pupils achieving well; disadvantaged pupils are catching up.",
            "Pupils remember what they have learned and apply it; outcomes in {focus} are improving year on year.",
        ),
        "developing": (
            "Most pupils achieve well, but disadvantaged pupils are not yet catching up quickly enough in writing.",
            "Outcomes in {focus} are rising from a low base; the school's own tracking shows gaps that remain for some groups.",
        ),
    },
    "behaviour": {
        "secure": (
            "Pupils behave well in lessons and around the school; routines are consistent and pupils are attentive.",
            "Classrooms are calm and purposeful, and pupils move around the school sensibly without adult prompting.",
        ),
        "developing": (
            "Behaviour in classrooms is calm, but lunchtimes are less settled and persistent absence remains above the school's target.",
            "Attendance is improving but is not yet where leaders want it; a small number of pupils lose learning time.",
        ),
    },
    "personal": {
        "secure": (
            "Pupils feel safe, can name a trusted adult and talk about how to look after their well-being.",
            "The personal development offer is broad and pupils take on responsibilities with pride.",
        ),
        "developing": (
            "Pupils feel safe and well cared for; the wider offer is not yet taken up by the pupils who would gain most.",
            "Pupils talk about well-being with confidence, but their understanding of other faiths and cultures is less secure.",
        ),
    },
    "leadership": {
        "secure": (
            "Leaders' evaluation is accurate and their actions on {focus} are well chosen; governors hold leaders to account.",
            "Leaders know the school well, staff feel supported and the development plan is sharply focused.",
        ),
        "developing": (
            "Leaders know the school well and staff feel supported; monitoring of the impact of actions is still developing.",
            "Leaders' actions on {focus} are well chosen, but governors do not yet receive the information they need to challenge.",
        ),
    },
    "inclusion": {
        "secure": (
            "Pupils with SEND and disadvantaged pupils are included fully in the life of the school and in lessons.",
            "Adaptations for pupils with SEND are thoughtful and planned with families; their progress is tracked closely.",
        ),
        "developing": (
            "Adaptations for pupils with SEND are thoughtful; the impact of interventions is not yet measured sharply.",
            "Most pupils with SEND learn alongside their peers, but some spend too long away from the class with an adult.",
        ),
    },
    "excellence": {
        "secure": ("The school's work on {focus} is a genuine strength that other NEXUS schools could learn from.",),
        "developing": ("Work on {focus} is promising; it is not yet consistent enough to be shared as a model.",),
    },
    "safeguarding": {
        "secure": (
            "Staff know how to report concerns, records are well kept and pupils say they feel safe.",
            "The single central record was checked; staff training is up to date and concerns are followed up promptly.",
        ),
        "developing": ("Staff know how to report concerns and pupils say they feel safe.",),
    },
}
# A sentence naming where the evidence came from, so that no two schools' rationales read alike.
RATIONALE_EVIDENCE = (
    "This was clearest in {year}{where}.",
    "Reviewers saw this in {year}{where} and in the discussion with leaders.",
    "The evidence came mainly from {year}{where}, tested against the school's own monitoring.",
)
SAFEGUARDING_EVIDENCE = (
    "Reviewers sampled {n} recent records with the designated safeguarding lead.",
    "Reviewers asked {n} members of staff how they would raise a concern; every answer was clear.",
    "Pupils in {year}{where} named the adults they would go to with a worry.",
)
# Which bank of rationales speaks to each area of the shipped frameworks.
AREA_ASPECT = {
    "quality-of-education": "teaching",
    "behaviour-and-attitudes": "behaviour",
    "personal-development": "personal",
    "leadership-and-management": "leadership",
    "inclusion": "inclusion",
    "curriculum-and-teaching": "teaching",
    "achievement": "outcomes",
    "attendance-and-behaviour": "behaviour",
    "personal-development-and-well-being": "personal",
    "leadership-and-governance": "leadership",
    "leadership": "leadership",
    "quality-of-provision-and-outcomes": "outcomes",
    "disadvantaged-pupils-and-send": "inclusion",
    "area-of-excellence": "excellence",
    "pupils-learning-and-progress": "outcomes",
    SAFEGUARDING_KEY: "safeguarding",
}
# What a school usually says of itself on each scale: the likely self-evaluation grades.
TYPICAL_SELF_GRADES = {
    "eif-2019": ("good", "good", "good", "outstanding", "requires-improvement"),
    "ofsted-2025": ("expected-standard", "strong-standard", "strong-standard", "expected-standard", "exceptional"),
    "peer-estimate": ("effective", "effective", "effective", "leading", "working-towards-effective"),
}
# The area of each framework where a lesson observation may carry a grade.
TEACHING_AREA = {
    "eif-2019": "quality-of-education",
    "ofsted-2025": "curriculum-and-teaching",
    "peer-estimate": "quality-of-provision-and-outcomes",
}

# --------------------------------------------------------------------------------------------
# Building the records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCounts:
    """What the demo network holds, and how many records this run inserted."""

    schools: int
    reviewers: int
    groups: int
    priorities: int
    visits: int
    evidence: int
    added: int


def _subject_of(note: str) -> str:
    """The subject a lesson note names after the year group ("{year} history: ...")."""
    match = re.match(r"\{year\} ([A-Za-z -]+?)[:,]", note)
    subject = match.group(1) if match else "Other"
    return subject[0].upper() + subject[1:]


def _lower(phrase: str) -> str:
    """A focus area inside a sentence: "reading and phonics", but "SEND" and "Year 1" kept."""
    first = phrase.split()[0]
    return phrase if first.isupper() else phrase[0].lower() + phrase[1:]


def _focus_text(focus: list[str]) -> str:
    """The agreed focus inside a sentence: "reading and phonics (phonics in Year 1)"."""
    themes = [_lower(f) for f in focus if f in THEMES]
    narrower = [_lower(f) for f in focus if f not in THEMES]
    text = " and ".join(themes)
    return f"{text} ({narrower[0]})" if narrower else text


_YEAR_WORDS = re.compile(r"\b(Reception|early years|Year [1-6]|Key Stage [12])\b", re.IGNORECASE)
_KEY_STAGES = {"key stage 1": ("Year 1", "Year 2"), "key stage 2": ("Year 3", "Year 4", "Year 5", "Year 6")}


def _fits(text: str, phase: str) -> bool:
    """Whether a phrase could be written about a school of this phase: every year group it
    names is taught there (no Reception at a junior school, no Key Stage 2 at an infant one)."""
    taught = YEAR_GROUPS[phase]
    for match in _YEAR_WORDS.finditer(text):
        word = match.group(1).lower()
        if word in ("reception", "early years"):
            needed: tuple[str, ...] = ("Reception",)
        elif word in _KEY_STAGES:
            needed = _KEY_STAGES[word]
        else:
            needed = (match.group(1).capitalize(),)
        if not any(year in taught for year in needed):
            return False
    return True


def _fitting(items: Any, phase: str) -> list[Any]:
    """The phrases (or (phrase, owner) pairs) of a bank that fit a school of this phase."""
    return [x for x in items if _fits(x if isinstance(x, str) else x[0], phase)]


def _at(day: dt.date, hour: int = 17, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


@dataclass
class _Plan:
    """One visit before its records are written: who goes where, when and to look at what."""

    key: str
    host: str
    day: dt.date
    kind: VisitKind
    framework: str
    focus: list[str]
    team: list[str]  # reviewer keys, lead first
    group: _GroupPlan | None = None
    status: VisitStatus = VisitStatus.REPORT_SENT
    follows: _Plan | None = None


@dataclass
class _Builder:
    """Collects every record of the demo in parent-before-child order."""

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

    @property
    def years(self) -> dict[int, str]:
        """The demo's academic years by how many years before the current one they are."""
        return dict(enumerate(demo_years(self.today)[::-1]))

    @property
    def groups(self) -> list[_GroupPlan]:
        return [g.in_year(self.years[g.years_back]) for g in GROUPS]

    def add(self, model: Callable[..., SyncMixin], record_id: str, when: dt.datetime, **values: Any) -> str:
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

    # ---- dates ---------------------------------------------------------------------------

    def weekday_in(self, year: str, month: int, host: str) -> dt.date:
        """A free Tuesday-to-Thursday in that month of the academic year. Visits avoid
        Mondays and Fridays, no two demo visits share a day (so diaries never clash) and a
        school is not visited twice within a fortnight."""
        start = int(year[:4])
        calendar_year = start if month >= 9 else start + 1
        day = dt.date(calendar_year, month, self.rng.randint(9 if month == 9 else 3, 14))
        taken = self.host_days.setdefault(host, [])
        while (
            day.weekday() not in (1, 2, 3)
            or day in self.used_days
            or any(first <= day <= last for first, last in school_holidays(start))
            or any(abs((day - other).days) < 14 for other in taken)
        ):
            day += dt.timedelta(days=1)
        self.used_days.add(day)
        taken.append(day)
        return day

    # ---- people and places ---------------------------------------------------------------

    def teacher(self) -> str:
        r = self.rng
        return f"{r.choice(TITLES)} {r.choice(INITIALS)}. {r.choice(SURNAMES)}"

    def add_schools(self) -> None:
        when = _at(dt.date(int(self.years[2][:4]), 7, 10), 9)
        for key, name, urn, phase, head in SCHOOLS:
            self.school_ids[key] = self.add(
                School, demo_id("school", key), when,
                name=name, urn=urn, phase=phase, local_authority=LOCAL_AUTHORITY,
                headteacher=head,
            )
            self.school_names[key] = name
            self.phases[key] = phase
            trees = self.rng.sample(CLASS_NAMES, len(YEAR_GROUPS[phase]))
            self.classes[key] = {
                year: (f"{tree} class", self.teacher())
                for year, tree in zip(YEAR_GROUPS[phase], trees, strict=True)
            }
            self.reviewer_ids[key] = self.add(
                Reviewer, demo_id("reviewer", key), when,
                name=head, role="Headteacher", home_school_id=self.school_ids[key],
                email=f"head@{key}.example.sch.uk",
            )
        for key, name, role, home in NETWORK_LEADS:
            self.reviewer_ids[key] = self.add(
                Reviewer, demo_id("reviewer", key), when,
                name=name, role=role, home_school_id=self.school_ids[home],
                email=f"{key}@{home}.example.sch.uk",
            )

    def add_priorities(self) -> int:
        count = 0
        for school, years in PRIORITIES.items():
            for years_back, themes in sorted(years.items(), reverse=True):
                year = self.in_year = self.years[years_back]
                when = _at(dt.date(int(year[:4]), 7, 8), 15)
                for theme in themes:
                    self.add(
                        SchoolPriority, demo_id("priority", school, year, theme), when,
                        school_id=self.school_ids[school], academic_year=year, theme=theme,
                        description=self.rng.choice(THEMES[theme].descriptions),
                    )
                    count += 1
        return count

    def add_groups(self) -> dict[tuple[str, str], dt.date]:
        """The triads and quartets with their rota; gives each member's hosting date."""
        host_days: dict[tuple[str, str], dt.date] = {}
        for group in self.groups:
            self.in_year = group.year
            when = _at(dt.date(int(group.year[:4]), 7, 15), 16)
            group_id = self.add(
                ReviewGroup, demo_id("group", group.key), when,
                name=group.name, academic_year=group.year,
                focus=f"{group.theme}: a shared development-plan priority of every member.",
            )
            for position, (school, month) in enumerate(
                zip(group.members, group.months, strict=True)
            ):
                day = self.weekday_in(group.year, month, school)
                host_days[(group.key, school)] = day
                self.add(
                    ReviewGroupMember, demo_id("group-member", group.key, school), when,
                    group_id=group_id, school_id=self.school_ids[school], position=position,
                    host_date=day,
                )
        return host_days

    # ---- the year's visits ---------------------------------------------------------------

    def plan_year(self, years_back: int, host_days: dict[tuple[str, str], dt.date]) -> list[_Plan]:
        r = self.rng
        year = self.years[years_back]
        plans: list[_Plan] = []
        for group in (g for g in self.groups if g.year == year):
            for i, school in enumerate(group.members):
                others = [s for s in group.members if s != school]
                lead = group.members[(i + 1) % len(group.members)]
                team = [lead] + [s for s in others if s != lead]
                focus = [group.theme]
                specifics = _fitting(THEMES[group.theme].specifics, self.phases[school])
                if r.random() < 0.5 and specifics:
                    focus.append(r.choice(specifics))
                plans.append(_Plan(
                    f"{year}/review/{group.key}/{school}", school, host_days[(group.key, school)],
                    VisitKind.COLLABORATIVE_REVIEW, group.framework, focus, team, group=group,
                ))
        keys = [s[0] for s in SCHOOLS]
        a, b = EVALUATION_OFFSETS[years_back]
        for i, (school, month) in enumerate(zip(keys, EVALUATION_MONTHS[years_back], strict=True)):
            day = self.weekday_in(year, month, school)
            framework = "eif-2019" if day < REPORT_CARDS_FROM else "ofsted-2025"
            themes = list(PRIORITIES[school][years_back])
            focus = r.sample(themes, 2)
            specifics = _fitting(THEMES[focus[0]].specifics, self.phases[school])
            if r.random() < 0.3 and specifics:
                focus.append(r.choice(specifics))
            team = [keys[(i + a) % 10], keys[(i + b) % 10]]
            plans.append(_Plan(
                f"{year}/evaluation/{school}", school, day, VisitKind.EVALUATION_DAY, framework,
                focus, team,
            ))
        walk_hosts = r.sample(keys, 3)
        for n, school in enumerate(walk_hosts):
            theme = r.choice(PRIORITIES[school][years_back])
            lead = "reading-lead" if theme == "Reading and phonics" else "assessment-lead"
            colleague = r.choice([k for k in keys if k != school])
            plans.append(_Plan(
                f"{year}/walk/{n}", school, self.weekday_in(year, (10, 2, 5)[n], school),
                VisitKind.LEARNING_WALK, "developmental", [theme], [lead, colleague],
            ))
        # Follow-ups return to two of the year's collaborative reviews a term or so later.
        reviews = [p for p in plans if p.kind is VisitKind.COLLABORATIVE_REVIEW and p.day.month in (10, 11, 12)]
        for n, earlier in enumerate(r.sample(reviews, 2)):
            month = (earlier.day.month + 4 - 1) % 12 + 1
            plans.append(_Plan(
                f"{year}/follow-up/{n}", earlier.host, self.weekday_in(year, month, earlier.host),
                VisitKind.FOLLOW_UP, "developmental", list(earlier.focus), [earlier.team[0]],
                follows=earlier,
            ))
        return plans

    def add_visit(self, plan: _Plan) -> int:
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
        written = _at(diary, 16) if planned else _at(written_on, 16, 30)
        themes = [f for f in plan.focus if f in THEMES]
        focus_text = _focus_text(plan.focus)
        lines = self.lines
        text = {
            "summary": self.summary(plan, themes, focus_text),
            "strengths": "\n".join(lines(plan.host, themes, "strengths", r.randint(3, 5), GENERAL_STRENGTHS)),
            "areas_for_development": "\n".join(lines(plan.host, themes, "ebis", r.randint(2, 4), GENERAL_EBIS)),
            "questions": "\n".join(lines(plan.host, themes, "questions", r.randint(2, 3), GENERAL_QUESTIONS)),
        }
        if planned:
            text = dict.fromkeys(text, "")
        self.add(
            Visit, visit_id, written,
            host_school_id=self.school_ids[plan.host], visit_date=plan.day, kind=plan.kind.value,
            framework_key=plan.framework, status=plan.status.value, focus_areas=list(plan.focus),
            review_group_id=demo_id("group", plan.group.key) if plan.group else None,
            follow_up_of_id=demo_id("visit", plan.follows.key) if plan.follows else None,
            **text,
        )
        for position, reviewer in enumerate(plan.team):
            self.add(
                VisitReviewer, demo_id("visit-reviewer", plan.key, reviewer), written,
                visit_id=visit_id, reviewer_id=self.reviewer_ids[reviewer],
                is_lead=position == 0, position=position,
            )
        kept = self.records
        if planned:
            self.records = []  # drawn, then dropped
        evidence_ids = self.add_evidence(plan, visit_id, themes, framework, written)
        self.add_judgements(plan, visit_id, framework, evidence_ids, focus_text, written)
        self.add_actions(plan, visit_id, themes, written)
        self.records = kept
        return 0 if planned else len(evidence_ids)

    def summary(self, plan: _Plan, themes: list[str], focus_text: str) -> str:
        r = self.rng
        group = plan.group.name if plan.group else "review group"
        opener = OPENERS[plan.kind].format(
            school=self.school_names[plan.host], focus=focus_text, group=group
        )
        phase = self.phases[plan.host]
        body = r.sample(_fitting(THEMES[themes[0]].summary, phase), 2)
        if len(themes) > 1:
            body[1] = r.choice(_fitting(THEMES[themes[1]].summary, phase))
        if plan.follows is not None:
            body.insert(0, f"Most of the next steps agreed on {plan.follows.day:%-d %B %Y} are in place.")
        return f"{opener} {' '.join(body)}\n\n{r.choice(CLOSINGS)}"

    def lines(self, host: str, themes: list[str], bank: str, count: int, general: tuple[str, ...]) -> list[str]:
        """``count`` different lines, mostly from the first theme, some from the others; only
        lines that fit the host school's phase."""
        phase = self.phases[host]
        pool: list[str] = _fitting(getattr(THEMES[themes[0]], bank), phase)
        for theme in themes[1:]:
            others = _fitting(getattr(THEMES[theme], bank), phase)
            pool += self.rng.sample(others, min(2, len(others)))
        for _attempt in range(20):  # no two visits with the very same list
            chosen = self.rng.sample(pool, min(count, len(pool)))
            if self.rng.random() < 0.4:
                chosen[-1] = self.rng.choice(general)
            if tuple(chosen) not in self.used_lines:
                break
        self.used_lines.add(tuple(chosen))
        return chosen

    def times(self, start: dt.time, minutes: int) -> tuple[dt.time, dt.time]:
        begin = dt.datetime.combine(dt.date(2000, 1, 1), start)
        return start, (begin + dt.timedelta(minutes=minutes)).time()

    def add_evidence(
        self, plan: _Plan, visit_id: str, themes: list[str], framework: Framework,
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
            kinds = [EvidenceKind.LEADER_MEETING, r.choice(
                (EvidenceKind.LEARNING_WALK, EvidenceKind.WORK_SCRUTINY))]
        afternoon = plan.kind is VisitKind.COLLABORATIVE_REVIEW and r.random() < 0.5
        clock = dt.time(12, 50) if afternoon else dt.time(8, 50)
        years = YEAR_GROUPS[self.phases[plan.host]]
        ids: list[str] = []
        seen_years: list[str] = []
        seen_notes: list[str] = []
        for position, kind in enumerate(kinds):
            theme = themes[position % len(themes)]
            bank = THEMES[theme]
            focus_label = _lower(theme)
            minutes = {EvidenceKind.LEARNING_WALK: 45, EvidenceKind.LEADER_MEETING: 40}.get(kind, 30)
            if plan.kind is not VisitKind.EVALUATION_DAY:
                minutes -= 5  # a half day is tighter
            time_in, time_out = self.times(clock, minutes)
            clock = self.times(time_out, 10 if plan.kind is VisitKind.EVALUATION_DAY else 5)[1]
            evidence_id = demo_id("evidence", plan.key, str(position))
            values: dict[str, Any] = {
                "visit_id": visit_id, "kind": kind.value, "position": position,
                "time_in": time_in, "time_out": time_out,
                # Linked to the theme the evidence speaks to, and to a narrower focus of that
                # theme when the visit agreed one; never to the visit's other themes.
                "focus_links": [theme] + [f for f in plan.focus if f in bank.specifics and r.random() < 0.7],
            }
            if kind is EvidenceKind.LESSON_OBSERVATION:
                fitting = [y for y in years if y in bank.years] or [
                    y for y in years if y != "Reception"
                ]
                year = r.choice([y for y in fitting if y not in seen_years] or fitting)
                seen_years.append(year)
                class_name, staff = self.classes[plan.host][year]
                note = r.choice([n for n in bank.lesson_notes if n not in seen_notes] or bank.lesson_notes)
                seen_notes.append(note)
                values |= {
                    "class_name": class_name, "year_group": year, "subject": _subject_of(note),
                    "staff": staff, "notes": note.format(year=year),
                    "strengths": "\n".join(r.sample(_fitting(bank.strengths, self.phases[plan.host]), 2)),
                    "areas_for_development": r.choice(_fitting(bank.ebis, self.phases[plan.host])),
                }
                if framework.key in TEACHING_AREA and r.random() < 0.4:
                    grade = r.choice(TYPICAL_SELF_GRADES[framework.key][:3])
                    values["grades"] = {TEACHING_AREA[framework.key]: grade}
            elif kind is EvidenceKind.LEARNING_WALK:
                look_fors = r.sample(bank.look_fors, min(len(bank.look_fors), r.randint(3, 4)))
                drop_ins = self.plan_drop_ins(plan, look_fors)
                seen = {lf: sum(d[1][lf] == LookForResult.SEEN for d in drop_ins) for lf in look_fors}
                best = max(look_fors, key=lambda lf: seen[lf])
                weakest = min((lf for lf in look_fors if lf != best), key=lambda lf: seen[lf])
                only = "only " if 2 * seen[weakest] < len(drop_ins) else ""
                values |= {
                    "look_fors": look_fors, "subject": r.choice(bank.subjects),
                    "notes": f"Joint walk with the school's {_lower(theme)} lead, using the look-fors agreed beforehand.",
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
                    "who_what": f"{size} pupils from {older}", "participants": size,
                    "notes": r.choice(PUPIL_VOICE_NOTES).format(focus=focus_label),
                }
            elif kind is EvidenceKind.WORK_SCRUTINY:
                values |= {
                    "subject": r.choice(bank.subjects),
                    "who_what": "Books from {} and {}".format(*sorted(r.sample(years, 2), key=years.index)),
                    "notes": r.choice(SCRUTINY_NOTES),
                    "strengths": r.choice(_fitting(bank.strengths, self.phases[plan.host])),
                    "areas_for_development": r.choice(_fitting(bank.ebis, self.phases[plan.host])),
                }
            elif kind is EvidenceKind.LEADER_MEETING:
                values |= {
                    "who_what": r.choice(("Headteacher and subject lead", "Senior leadership team",
                                          "Headteacher, SENCo and chair of governors")),
                    "participants": r.randint(2, 4),
                    "notes": r.choice(MEETING_NOTES).format(focus=focus_label),
                }
            else:  # data review
                values |= {"who_what": "Headteacher and assessment lead", "participants": 2,
                           "notes": r.choice(DATA_NOTES)}
            self.add(Evidence, evidence_id, written, **values)
            if kind is EvidenceKind.LEARNING_WALK:
                self.add_drop_ins(plan, evidence_id, drop_ins, time_in, written)
            ids.append(evidence_id)
        return ids

    def plan_drop_ins(
        self, plan: _Plan, look_fors: list[str]
    ) -> list[tuple[str, dict[str, LookForResult]]]:
        """The classrooms of a walk (year group, look-for results), before they are written."""
        r = self.rng
        years = list(YEAR_GROUPS[self.phases[plan.host]])
        visited = r.sample(years, min(len(years), r.randint(4, 8)))
        if len(visited) < 4:  # an infant school has three classes: one is seen twice
            visited += r.sample(years, 4 - len(visited))
        outcomes = (LookForResult.SEEN,) * 5 + (LookForResult.PARTLY,) * 2 + (LookForResult.NOT_SEEN,)
        return [(year, {lf: r.choice(outcomes) for lf in look_fors}) for year in visited]

    def add_drop_ins(
        self, plan: _Plan, evidence_id: str, drop_ins: list[tuple[str, dict[str, LookForResult]]],
        start: dt.time, written: dt.datetime,
    ) -> None:
        r = self.rng
        clock = start
        for position, (year, results) in enumerate(drop_ins):
            self.add(
                DropIn, demo_id("drop-in", evidence_id, str(position)), written,
                evidence_id=evidence_id, position=position,
                class_name=self.classes[plan.host][year][0], year_group=year, time=clock,
                look_for_results={lf: result.value for lf, result in results.items()},
                note=r.choice(DROP_IN_NOTES),
            )
            clock = self.times(clock, r.randint(5, 8))[1]

    def add_judgements(
        self, plan: _Plan, visit_id: str, framework: Framework, evidence_ids: list[str],
        focus_text: str, written: dt.datetime,
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
                    school = base if r.random() < 0.7 else r.choice(TYPICAL_SELF_GRADES[framework.key])
                    index = [g.key for g in scale].index(school)
                    step = r.choices((0, -1, 1), weights=(7, 2, 1))[0]
                    # Never out of the scale, never down to the lowest grade in a peer review.
                    peer = scale[min(max(index + step, 0), len(scale) - 2)].key
                    order = framework.compare(area.key, peer, school)
                    secure = order != -1 and (order == 1 or secure)
            bank = SAFEGUARDING_EVIDENCE if aspect == "safeguarding" else RATIONALE_EVIDENCE
            for _attempt in range(20):  # never the same words as another school's
                rationale = r.choice(RATIONALES[aspect]["secure" if secure else "developing"]).format(focus=focus_text)
                year, (class_name, _staff) = r.choice(sorted(self.classes[plan.host].items()))
                detail = r.choice(bank).format(year=year, where=f" ({class_name})", n=r.randint(3, 9))
                rationale += " " + detail
                if rationale not in self.used_rationales and detail not in details:
                    break
            details.add(detail)
            self.used_rationales.add(rationale)
            if framework.graded and peer != school:
                direction = "above" if framework.compare(area.key, peer, school) == 1 else "below"
                rationale = f"Reviewers placed this {direction} the school's own evaluation. " + rationale
            self.add(
                Judgement, demo_id("judgement", plan.key, area.key), written,
                visit_id=visit_id, area_key=area.key, peer_grade=peer, self_grade=school,
                rationale=rationale,
                evidence_ids=r.sample(evidence_ids, min(len(evidence_ids), r.randint(1, 3))),
            )

    def add_actions(
        self, plan: _Plan, visit_id: str, themes: list[str], written: dt.datetime
    ) -> None:
        r = self.rng
        phase = self.phases[plan.host]
        pool = _fitting(THEMES[themes[0]].actions, phase)
        for theme in themes[1:]:
            pool.append(r.choice(_fitting(THEMES[theme].actions, phase)))
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
                Action, demo_id("action", plan.key, str(position)), written,
                visit_id=visit_id, position=position, description=text, owner=owner,
                due_date=due, status=status.value, follow_up=follow_up,
            )


def demo_years(today: dt.date | None = None) -> tuple[str, str, str]:
    """The demo's three academic years, oldest first: the two before today's, and today's."""
    current = academic_year_of(today or dt.date.today())
    last = previous_academic_year(current)
    return previous_academic_year(last), last, current


def visit_status_on(day: dt.date, today: dt.date) -> VisitStatus:
    """What a demo visit on a day has come to by today: planned until it has happened,
    then its report drafted, and sent to the school a fortnight after the visit."""
    if day >= today:
        return VisitStatus.PLANNED
    if today - day < REPORT_SENT_AFTER:
        return VisitStatus.REPORT_DRAFTED
    return VisitStatus.REPORT_SENT


@dataclass(frozen=True)
class _DemoBuild:
    records: list[SyncMixin]
    year_of: dict[str, str]  # record id -> its academic year
    counts: DemoCounts


def _build(today: dt.date) -> _DemoBuild:
    builder = _Builder(random.Random(DEMO_SEED), today)
    builder.add_schools()
    priorities = builder.add_priorities()
    host_days = builder.add_groups()
    plans: list[_Plan] = []
    for years_back in (2, 1, 0):
        plans += builder.plan_year(years_back, host_days)
    plans.sort(key=lambda p: (p.day, p.key))
    for plan in plans:
        plan.status = visit_status_on(plan.day, today)
    evidence = sum(builder.add_visit(plan) for plan in plans)
    builder.records += demo_own_grades(builder.records, builder.year_of) + demo_calibration(builder.records, builder.year_of)
    counts = DemoCounts(
        schools=len(SCHOOLS), reviewers=len(SCHOOLS) + len(NETWORK_LEADS), groups=len(GROUPS),
        priorities=priorities, visits=len(plans), evidence=evidence, added=0,
    )
    return _DemoBuild(builder.records, builder.year_of, counts)


def build_demo_records(today: dt.date | None = None) -> tuple[list[SyncMixin], DemoCounts]:
    """Every record of the demo network as of a day (not yet in any session), parents first."""
    build = _build(today or dt.date.today())
    return build.records, build.counts


def _years_filled_before(session: Any, years: set[str]) -> set[str]:
    """The academic years the demo filled before, whatever day it was made: those with one
    of the review groups the demo lays out for the year, in any of its places (even deleted)."""
    candidates = {
        demo_id("group", group.in_year(year).key): year for year in years for group in GROUPS
    }
    found = session.scalars(select(ReviewGroup.id).where(ReviewGroup.id.in_(list(candidates))))
    return {candidates[group_id] for group_id in found}


def fill_demo_network(db: Database, today: dt.date | None = None) -> DemoCounts:
    """Fill a database with the demo network as of today; records already there are left
    untouched, and so is a whole school year the demo filled before (any of its review groups
    is there): filled again later, a visit that was planned then gets nothing added under it,
    and a year once the current one is not laid over again as last year."""
    build = _build(today or dt.date.today())
    records, counts = build.records, build.counts
    added = 0
    with db.transaction() as session:
        by_model: dict[type[SyncMixin], list[SyncMixin]] = {}
        for record in records:
            by_model.setdefault(type(record), []).append(record)
        new: list[SyncMixin] = []
        filled = _years_filled_before(session, set(build.year_of.values()))
        for model, rows in by_model.items():
            existing = set(session.scalars(select(model.id)))
            new += [
                row for row in rows
                if row.id not in existing and build.year_of.get(row.id) not in filled
            ]
        # The demo's records carry their own fixed device, revision and timestamps.
        previous = session.info.get("raw_sync")
        session.info["raw_sync"] = True
        try:
            session.add_all(new)
            session.flush()
        finally:
            if previous is None:
                session.info.pop("raw_sync", None)
            else:
                session.info["raw_sync"] = previous
        added = len(new)
        if not get_info(session, "network_name"):
            set_info(session, "network_name", NETWORK_NAME)
    from nexus_review.demo_trust import fill_demo_trust

    added += fill_demo_trust(db, today)
    return dataclasses.replace(counts, added=added)
