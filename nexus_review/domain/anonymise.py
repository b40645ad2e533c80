"""Anonymising staff: every named member of staff becomes "Teacher A", "Teacher B"... in
every text of one document.

A staff field ("Mrs J. Quixley", "Mrs J. Quixley and Mr T. Hale", "Ali (TA)") names one or more
people; each person is a title, initials or forenames, and a surname. A text names a person
however it is typed: "Mrs J. Quixley", "Mrs Quixley", "J Quixley", "QUIXLEY", "Quixley's",
"Mrs\u00a0Quixley", "Jane". Mentions are found on word boundaries, so protecting "Ali" leaves
"Alison" alone, and nothing but the mention itself is changed.

A single word written entirely in small letters with no title before it ("the hall", "pupils
will read") is read as the ordinary word, not as Mrs Hall or Will Read; capitalised, in capitals
or after a title it is the person. A surname that is also the name of a subject or a role
("Mr French", "Mrs English") is the person only with a title or an initial before it.

Pure functions of text: no database, no documents. The report builders and the spreadsheet
exports decide which texts leave the program and pass each of them through
:meth:`Anonymiser.clean`.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

__all__ = ["Anonymiser", "Person", "letters", "people_in"]

TITLES = frozenset("mr mrs ms miss mx dr prof sir dame rev mme mlle madam mister".split())  # noqa: SIM905

# Words in a staff field that say what someone does or teaches, not who they are:
# "Ali (TA)", "Mrs Quixley – class teacher", "English lead" name no one by "English".
NOT_NAMES = frozenset(
    """
    teacher teachers ta tas hlta lsa senco sendco ect nqt cover supply student trainee class teaching
    assistant assistants lead leader leaders head deputy headteacher support staff tutor intervention
    team group and with or the of for in at year years reception nursery eyfs ks ks1 ks2 sen send
    subject reading writing maths mathematics english science phonics history geography art music pe
    computing french spanish german re pshe rse dt design technology literacy numeracy pastoral
    inclusion safeguarding curriculum oracy early unknown various several all none
    """.split()  # noqa: SIM905 - a word list reads best as words
)

# Characters that can hide inside a word without showing (soft hyphen, zero-width spaces, joiners).
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_GAP = f"[{_INVISIBLE}]*"
_SPACE = rf"[\s{_INVISIBLE}]"  # \s covers no-break, thin and other Unicode spaces
_SEP = rf"(?:\.{_SPACE}*|{_SPACE}+)"  # between the parts of one name: "J. Q", "J.Q", "J Q"
_APOSTROPHES = "'’ʼ"
_HYPHENS = "-‐‑"
# Inside a name: O'Neil, Patel-Smith.
_JOINERS = "".join(re.escape(ch) for ch in _APOSTROPHES + _HYPHENS)
_TOKEN = re.compile(rf"[^\W\d_]+(?:[{_JOINERS}][^\W\d_]+)*")
_NAME_TOKEN = re.compile(rf"(?<![\d_])[^\W\d_]+(?:[{_JOINERS}][^\W\d_]+)*(?![\d_])")  # not "Y6"
# Between the people of one staff field; what is in brackets is read on its own, a role
# ("Ali (TA)") or a name ("Reading lead (Mr T. Hale)").
_SPLIT = re.compile(r"[,;/&+\n\r\t|()\[\]]|\s(?:and|with|or)\s", re.IGNORECASE)


def letters(n: int) -> str:
    """A, B, ... Z, AA, AB, ... for the n-th person (from 0)."""
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


def _fold(word: str) -> str:
    """A word as names are compared: composed, no invisible characters, one apostrophe and
    hyphen, case-folded."""
    word = _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", word))
    for ch in _APOSTROPHES[1:]:
        word = word.replace(ch, "'")
    for ch in _HYPHENS[1:]:
        word = word.replace(ch, "-")
    return word.lower()


@dataclass
class Person:
    """One member of staff: a surname and what else the staff fields gave of the name."""

    surname: str  # folded
    forenames: set[str] = field(default_factory=set)  # folded
    initials: set[str] = field(default_factory=set)  # upper-case letters
    titles: set[str] = field(default_factory=set)  # folded, without dots

    def surnames(self) -> set[str]:
        """The surname and, when double-barrelled, each of its parts."""
        parts = {p for p in re.split(r"-", self.surname) if len(p) > 1}
        return {self.surname} | parts

    def parts(self) -> set[str]:
        """Every word of the name that says who this is (not titles, not lone initials)."""
        return self.surnames() | {f for f in self.forenames if len(f) > 1}

    def fits(self, givens: Sequence[str]) -> bool:
        """Whether the words written before a surname can be this person's: initials (any
        initial when the staff fields gave none), known forenames, or a capitalised word
        starting with one of the initials ("Jane" for J. Quixley)."""
        for g in givens:
            if len(g) == 1:
                if not g.isupper() or (self.initials and g not in self.initials):
                    return False
            elif _fold(g) not in self.forenames and not (g[0].isupper() and g[0] in self.initials):
                return False
        return True


def _parse(chunk: str) -> Person | None:
    tokens = _NAME_TOKEN.findall(_INVISIBLE_RE.sub("", chunk))
    titles = {t.lower() for t in tokens if t.lower() in TITLES}
    tokens = [t for t in tokens if t.lower() not in TITLES]
    initials: set[str] = set()
    words: list[str] = []
    for i, t in enumerate(tokens):
        is_last = i == len(tokens) - 1
        if (len(t) == 1 and t.upper() != t.lower()) or (
            len(t) == 2 and t.isupper() and not is_last
        ):
            # An initial: one cased letter ("J"), or two capitals before the surname ("JK");
            # a one-character name in a script without capitals (王) is a name.
            initials |= {c.upper() for c in t}
        else:
            words.append(t)
    named = [w for w in words if w.lower() not in NOT_NAMES]
    if not named and words and (titles or initials):
        named = words[-1:]  # "Mr French", "Mrs J. English": a title makes it a name
    words = named
    if not words:
        return None  # initials or roles only: nothing that names anyone
    surname, forenames = words[-1], words[:-1]
    initials |= {f[0].upper() for f in forenames}
    return Person(_fold(surname), {_fold(f) for f in forenames}, initials, titles)


def people_in(staff_fields: Iterable[str]) -> list[Person]:
    """The people named in staff fields, each once, in the order they first appear. Entries
    for one person merge ("Mrs J. Quixley", "Mrs Quixley", "Jane Quixley"); two people with
    one surname stay apart when their initials differ ("Mrs A. Smith", "Mr B. Smith")."""
    people: list[Person] = []
    by_surname: dict[str, list[Person]] = {}
    for staff in dict.fromkeys(staff_fields):  # each distinct field once, in order
        for surname, forenames, initials, titles in _named_in(staff or ""):
            person = Person(surname, set(forenames), set(initials), set(titles))
            same = by_surname.setdefault(surname, [])
            match = next((p for p in same if _compatible(p, person)), None)
            if match is None:
                people.append(person)
                same.append(person)
            else:
                match.forenames |= person.forenames
                match.initials |= person.initials
                match.titles |= person.titles
    return people


@functools.lru_cache(maxsize=4096)
def _named_in(staff: str) -> tuple[tuple[str, frozenset[str], frozenset[str], frozenset[str]], ...]:
    """The people one staff field names, as plain values (a compilation reads each field
    several times)."""
    found = []
    for chunk in _SPLIT.split(unicodedata.normalize("NFC", staff)):
        person = _parse(chunk)
        if person is not None:
            found.append(
                (
                    person.surname,
                    frozenset(person.forenames),
                    frozenset(person.initials),
                    frozenset(person.titles),
                )
            )
    return tuple(found)


def _compatible(a: Person, b: Person) -> bool:
    if not (a.initials or a.forenames) or not (b.initials or b.forenames):
        return True
    return bool(a.initials & b.initials) or bool(a.forenames & b.forenames)


def _token_spans(text: str) -> list[tuple[str, int]]:
    """The words of a text with invisible characters taken out, each with where it starts
    in the text as written."""
    visible = [i for i, ch in enumerate(text) if not _INVISIBLE_RE.match(ch)]
    stripped = "".join(text[i] for i in visible)
    return [(m.group(0), visible[m.start()]) for m in _TOKEN.finditer(stripped)]


def _char(ch: str) -> str:
    """One letter of a name as a pattern: apostrophe and hyphen variants match each other."""
    if ch == "'":
        return "[" + "".join(re.escape(c) for c in _APOSTROPHES) + "]"
    if ch == "-":
        return "[" + "".join(re.escape(c) for c in _HYPHENS) + "]"
    return re.escape(ch)


_Trie: TypeAlias = dict[str, "_Trie"]


def _alternatives(words: Iterable[str]) -> str:
    """Any of the words, as one pattern, with invisible characters allowed between letters.

    Built as a tree of shared beginnings ("ha(?:le|ll)"), so that a network's hundreds of
    names cost a few steps per word of text, not one try per name; the longest word is tried
    first at each branch."""
    trie: _Trie = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            child = node[ch]
            pattern = _char(ch)
            if any(k for k in child):
                pattern += f"(?:{_GAP}{build(child)})" + ("?" if "" in child else "")
            branches.append(pattern)
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie) if trie else "(?!)"


class Anonymiser:
    """Replaces each member of staff with the same "Teacher X" in every text of one document.

    Made once per document from every staff field of its visits (deleted evidence included),
    so that the letters stay the same from the first page to the last. When ``enabled`` is
    false, texts pass through unchanged.
    """

    def __init__(self, staff_fields: Iterable[str], enabled: bool = True) -> None:
        self.enabled = enabled
        self.people = people_in(staff_fields) if enabled else []
        self._prefer: frozenset[int] = frozenset()
        self._pattern = self._compile() if self.people else None
        # Who has each surname (or part of one) and each forename, looked up per mention.
        self._by_surname: dict[str, list[int]] = {}
        self._by_forename: dict[str, list[int]] = {}
        for i, p in enumerate(self.people):
            for name in p.surnames():
                self._by_surname.setdefault(name, []).append(i)
            for name in p.forenames:
                self._by_forename.setdefault(name, []).append(i)

    def within(self, staff_fields: Iterable[str]) -> Anonymiser:
        """The same anonymiser (same people, same letters), reading a name that several people
        share (two Mrs Clarkes in a network) as the one named in these staff fields (one
        visit's) where it can."""
        view = copy.copy(self)
        local = people_in(staff_fields) if self.enabled else []
        view._prefer = frozenset(
            i
            for i, p in enumerate(self.people)
            if any(p.surname == q.surname and _compatible(p, q) for q in local)
        )
        return view

    def alias(self, index: int) -> str:
        return f"Teacher {letters(index)}"

    # ------------------------------------------------------------------------ matching

    def _compile(self) -> re.Pattern[str]:
        """One pattern for every mention of anyone: [title] [initials or forenames] surname,
        or [title] forename. It finds candidates generously; :meth:`_replace` decides."""
        # Case is ignored only inside the names and titles: a case-blind "any letter" class
        # costs a tenth of a second to compile.
        surnames = f"(?i:{_alternatives(s for p in self.people for s in p.surnames())})"
        forename_words = [f for p in self.people for f in p.forenames if len(f) > 1]
        forenames = f"(?i:{_alternatives(forename_words)})" if forename_words else ""
        initials = "".join(sorted({re.escape(i) for p in self.people for i in p.initials}))
        givens = [r"[^\W\d_]"]  # an initial
        if initials:
            givens.append(f"[{initials}][^\\W\\d_]+")  # "Jane" for J. Quixley
        if forenames:
            givens.append(forenames)
        # At most three given names or initials, each word tried one way only (atomic): a
        # long run of initials or forenames with no surname after it fails in linear time.
        titles = f"(?i:{_alternatives(TITLES)})(?!\\w)"
        given = f"(?:(?!{titles})(?>(?:{'|'.join(givens)})(?!\\w)){_SEP}){{0,3}}"
        title = f"(?:{titles}{_SEP})?"
        # "Quixley J.": an initial after the surname, written with its dot.
        after = f"(?:{_SPACE}+[{initials}]\\.)?" if initials else ""
        forms = [f"{title}{given}{surnames}{after}"]
        if forenames:
            forms.append(f"{title}{forenames}")
        return re.compile(rf"(?<!\w)(?:{'|'.join(forms)})(?!\w)")

    def _replace(self, match: re.Match[str]) -> str:
        mention = match.group(0)
        spans = _token_spans(mention)
        words = [w for w, _start in spans]
        if len(words) == 1 and (words[0].islower() or _fold(words[0]) in NOT_NAMES):
            return mention  # "the hall", "French": not Mrs Hall or Mr French
        if len(words) > 1 and len(words[-1]) == 1 and mention.endswith("."):
            words = words[:-1]  # "Quixley J."
        first = 1 if len(words) > 1 and words[0].lower() in TITLES else 0
        title = words[0].lower() if first else None
        last = _fold(words[-1])
        sharing = self._by_surname.get(last, [])
        keep = ""
        if sharing:
            givens = words[first:-1]
            # Words before the surname that no one of that name can have ("Then Hale said",
            # "a Hale lesson") stay as they were written.
            k = 0
            while k < len(givens) and not any(self.people[i].fits(givens[k:]) for i in sharing):
                k += 1
            if k:
                keep, title = mention[: spans[first + k][1]], None
            found = [i for i in sharing if self.people[i].fits(givens[k:])]
        else:  # forenames only: "Jane", "Mrs Jane"
            folded = {_fold(w) for w in words[first:]}
            found = [
                i
                for i in self._by_forename.get(next(iter(folded)), [])
                if folded <= self.people[i].forenames
            ]
        for narrower in (lambda i: i in self._prefer, lambda i: title in self.people[i].titles):
            kept = [i for i in found if narrower(i)]
            if kept:
                found = kept
        if not found:  # not expected: then anyone the words can name, rather than a leak
            folded = {_fold(w) for w in words}
            found = [i for i, p in enumerate(self.people) if folded & p.parts()]
            if not found:
                return mention
        names = [self.alias(i) for i in found]
        return keep + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1])

    # ------------------------------------------------------------------------ the API

    def clean(self, text: str) -> str:
        """A text with every mention of a member of staff replaced, when anonymising."""
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(self._replace, unicodedata.normalize("NFC", text))

    def name(self, staff: str) -> str:
        """A staff field as a document shows it: "Teacher A", "Teacher A and Teacher B"."""
        staff = staff.strip()
        return self.clean(staff) if self.enabled else staff
