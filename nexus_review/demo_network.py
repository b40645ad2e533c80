"""The demo network's schools and the fixed ids of its records, shared by every part of the
demo (the visits in ``demo``, the trust's figures in ``demo_trust``)."""

from __future__ import annotations

import uuid

# Fixed so that the same demo record has the same id on every laptop.
DEMO_NAMESPACE = uuid.UUID("6f1d0c52-8a4e-5b1f-9c3d-2e7a4b9f0d11")
DEMO_DEVICE = "demo"

# key, name, URN, phase, headteacher (invented)
SCHOOLS: tuple[tuple[str, str, str, str, str], ...] = (
    ("mangotsfield", "Mangotsfield CE VC Primary", "109263", "Primary", "Mrs Helen Ashworth"),
    ("blackhorse", "Blackhorse Primary", "109187", "Primary", "Mr David Okafor"),
    ("bh-junior", "Bromley Heath Junior", "109142", "Junior", "Mrs Clare Pennington"),
    ("bh-infant", "Bromley Heath Infant", "109141", "Infant", "Miss Rachel Lomax"),
    ("emersons-green", "Emersons Green Primary", "109658", "Primary", "Mr Tom Hargreaves"),
    ("kings-forest", "Kings Forest Primary", "109204", "Primary", "Mrs Anita Sharma"),
    ("staple-hill", "Staple Hill", "109671", "Primary", "Mr Gareth Price"),
    ("stanbridge", "Stanbridge Primary", "109229", "Primary", "Mrs Louise Fenwick"),
    ("st-michaels", "St Michaels CE Primary", "109312", "Primary", "Mrs Jo Whitcombe"),
    ("st-stephens", "St Stephens Junior", "109618", "Junior", "Mr Simon Delaney"),
)


def demo_id(*parts: str) -> str:
    """The fixed id of a demo record, from a descriptive name such as "visit/2025-26/3"."""
    return str(uuid.uuid5(DEMO_NAMESPACE, "/".join(parts)))
