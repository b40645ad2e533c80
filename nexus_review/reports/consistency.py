"""How often heads' judgements agree with schools' own evaluation, area by area."""

from __future__ import annotations

from collections.abc import Sequence

from nexus_review.domain.network import AreaConsistency
from nexus_review.domain.records import VisitDetail
from nexus_review.frameworks import get_framework


def consistency(visits: Sequence[VisitDetail]) -> list[AreaConsistency]:
    """For each graded area: how often the peer judgement agreed with the school's own."""
    counts: dict[tuple[str, str], list[int]] = {}
    order: list[tuple[str, str]] = []
    for v in visits:
        fw = get_framework(v.framework_key)
        if not fw.graded:
            continue
        for area in fw.judged_areas():
            key = (fw.key, area.key)
            if key not in counts:
                counts[key] = [0, 0, 0, 0]
                order.append(key)
            j = v.judgement(area.key)
            if j is None:
                continue
            c = fw.compare(area.key, j.peer_grade, j.self_grade)
            if c is None:
                continue
            counts[key][0] += 1
            counts[key][{0: 1, 1: 2, -1: 3}[c]] += 1
    out = []
    for fw_key, area_key in order:
        judged, agreed, higher, lower = counts[(fw_key, area_key)]
        if judged:
            out.append(
                AreaConsistency(
                    fw_key,
                    area_key,
                    get_framework(fw_key).area_name(area_key),
                    judged,
                    agreed,
                    higher,
                    lower,
                )
            )
    return out
