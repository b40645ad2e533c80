"""The demo network's schools (from ``resources/demo/network.json``) and the fixed ids of its
records, shared by every part of the demo (the visits in ``demo``, the trust's figures in
``demo_trust``)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from nexus_review.paths import resource_path

# Fixed so that the same demo record has the same id on every laptop.
DEMO_NAMESPACE = uuid.UUID("6f1d0c52-8a4e-5b1f-9c3d-2e7a4b9f0d11")
DEMO_DEVICE = "demo"


def demo_data(name: str) -> dict[str, Any]:
    """One of the demo's data files, ``resources/demo/<name>.json``."""
    data: dict[str, Any] = json.loads(resource_path("demo", f"{name}.json").read_text("utf-8"))
    return data


# key, name, URN, phase, headteacher (invented)
SCHOOLS: tuple[tuple[str, str, str, str, str], ...] = tuple(
    (s["key"], s["name"], s["urn"], s["phase"], s["headteacher"])
    for s in demo_data("network")["schools"]
)


def demo_id(*parts: str) -> str:
    """The fixed id of a demo record, from a descriptive name such as "visit/2025-26/3"."""
    return str(uuid.uuid5(DEMO_NAMESPACE, "/".join(parts)))
