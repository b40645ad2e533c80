"""Fuzzing a sealed package's key-derivation settings with values out of bounds, or left out:
1,000 cases. Every case must be refused with one sentence of the program's own before any key
is derived, and the administrator's database must be unchanged (its SQL dump compared before
and after).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nexus_review.interchange import sealing
from nexus_review.storage.database import Database
from tests.merge.fuzzing import FUZZ, PASSPHRASE, must_refuse, zip_package


def _bad_setting(key: str) -> st.SearchStrategy[str]:
    """JSON text for a key-derivation setting outside what the reader accepts."""
    low, high = sealing.SCRYPT_LIMITS[key]
    out_of_range = st.integers(high + 1, 2**4000) | st.integers(-(2**64), low - 1)
    texts = st.sampled_from(
        [
            "1e999",
            "-1e999",
            "1e308",
            "NaN",
            "Infinity",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            '"32768"',
            "32768.0",
            "8.5",
        ]
    )
    choices = [out_of_range.map(str), texts]
    if key == "n":  # within range, but not a power of two
        choices.append(st.integers(low, high).filter(lambda n: n & (n - 1) != 0).map(str))
    return st.one_of(*choices)


def _good_setting(key: str) -> st.SearchStrategy[str]:
    low, high = sealing.SCRYPT_LIMITS[key]
    if key == "n":
        return st.sampled_from([str(2**k) for k in range(low.bit_length() - 1, high.bit_length())])
    return st.integers(low, high).map(str)


@pytest.mark.slow
@FUZZ
@given(data=st.data(), broken=st.sets(st.sampled_from(["n", "r", "p"]), min_size=1))
def test_fuzzed_key_derivation_settings_are_refused_before_deriving(
    fuzz_network: Database,
    dump_of: Any,
    samples: dict[str, Any],
    data: st.DataObject,
    broken: set[str],
) -> None:
    sealed = samples["sealed"]
    protection = dict(sealed["manifest"]["protection"])
    texts = {
        key: data.draw(_bad_setting(key) if key in broken else _good_setting(key))
        for key in ("n", "r", "p")
    }
    for key in texts:
        protection[key] = f"@{key}@"
    if data.draw(st.booleans()):
        protection.pop(data.draw(st.sampled_from(sorted(broken))))  # or the setting left out
    manifest = {**sealed["manifest"], "protection": protection}
    text = json.dumps(manifest)
    for key, value in texts.items():
        text = text.replace(f'"@{key}@"', value)
    raw = zip_package(manifest, "payload.bin", sealed["payload"], text)

    def no_deriving(*args: Any) -> bytes:
        raise AssertionError("a key was derived with settings the reader should have refused")

    original = sealing._key
    sealing._key = no_deriving
    try:
        must_refuse(fuzz_network, dump_of, "package", raw, PASSPHRASE)
    finally:
        sealing._key = original
