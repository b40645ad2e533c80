"""Counts in words, as a person writes them: "1 visit", "3 visits", never "visit(s)"."""

from __future__ import annotations

IRREGULAR = {"was": "were", "is": "are", "person": "people"}


def plural(word: str, count: int) -> str:
    if count == 1:
        return word
    return IRREGULAR.get(
        word, word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    )


def counted(count: int, word: str, many: str | None = None) -> str:
    """``counted(1, "visit") == "1 visit"``; ``counted(3, "visit") == "3 visits"``; ``many``
    for a plural the rules do not make ("visit is" / "visits are")."""
    return f"{count} {word if count == 1 else many or plural(word, count)}"
