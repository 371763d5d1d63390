"""Per-field merge rules: later clock wins, conflicts only for concurrent edits, tombstones, convergence."""

from __future__ import annotations

import itertools
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync.merge import merge_row


def clock(ms: int, device: str, counter: int = 0) -> str:
    return f"{ms:013d}-{counter:06d}-{device}"


def row(**fields: object) -> dict[str, object]:
    """A resident-like row; ``clocks`` become ``field_clocks``, ``updated_at`` their maximum."""
    clocks: dict[str, str] = dict(fields.pop("clocks", {}))  # type: ignore[call-overload]
    created = clock(1, "dev-a")
    base: dict[str, object] = {
        "id": "r1",
        "created_at": "2026-11-01 08:00:00.000000",
        "updated_at": max([created, *clocks.values()]),
        "origin_device": "",
        "deleted": 0,
        "field_clocks": json.dumps(clocks, sort_keys=True) if clocks else None,
        "name": "张桂英",
        "phone": "",
        "room": "",
    }
    base.update(fields)
    base["origin_device"] = str(base["updated_at"])[21:]
    return base


NOBODY: dict[str, str] = {}


def test_the_later_edit_of_a_field_wins() -> None:
    local = row(phone="111", clocks={"phone": clock(10, "dev-a")})
    incoming = row(phone="222", clocks={"phone": clock(20, "dev-b")})
    merged = merge_row(local, incoming, local_knows=NOBODY, sender_knows=NOBODY)
    assert merged.values is not None and merged.values["phone"] == "222"
    assert merged.values["updated_at"] == clock(20, "dev-b") and merged.values["origin_device"] == "dev-b"
    back = merge_row(incoming, local, local_knows=NOBODY, sender_knows=NOBODY)
    assert back.values is None  # the later value stays; nothing to write


def test_concurrent_edits_of_one_field_are_a_conflict_either_way_round() -> None:
    local = row(phone="111", clocks={"phone": clock(10, "dev-a")})
    incoming = row(phone="222", clocks={"phone": clock(20, "dev-b")})
    for mine, theirs in ((local, incoming), (incoming, local)):
        (conflict,) = merge_row(mine, theirs, local_knows=NOBODY, sender_knows=NOBODY).conflicts
        assert (conflict.field, conflict.kept_value, conflict.other_value) == ("phone", "222", "111")
        assert (conflict.kept_clock, conflict.other_clock) == (clock(20, "dev-b"), clock(10, "dev-a"))


def test_an_edit_made_after_seeing_the_other_is_no_conflict() -> None:
    local = row(phone="111", clocks={"phone": clock(10, "dev-a")})
    incoming = row(phone="222", clocks={"phone": clock(20, "dev-b")})
    knew = {"dev-a": clock(15, "dev-a")}
    assert merge_row(local, incoming, local_knows=NOBODY, sender_knows=knew).conflicts == []
    assert merge_row(incoming, local, local_knows=knew, sender_knows=NOBODY).conflicts == []


def test_edits_of_different_fields_both_survive() -> None:
    local = row(phone="111", clocks={"phone": clock(10, "dev-a")})
    incoming = row(room="302", clocks={"room": clock(20, "dev-b")})
    merged = merge_row(local, incoming, local_knows=NOBODY, sender_knows=NOBODY)
    assert merged.values is not None and merged.conflicts == []
    assert (merged.values["phone"], merged.values["room"]) == ("111", "302")
    assert json.loads(str(merged.values["field_clocks"])) == {"phone": clock(10, "dev-a"), "room": clock(20, "dev-b")}


def test_a_deletion_wins_over_older_edits_only() -> None:
    edited = row(phone="111", clocks={"phone": clock(10, "dev-a")})
    deleted_later = row(deleted=1, clocks={"deleted": clock(20, "dev-b")})
    merged = merge_row(edited, deleted_later, local_knows=NOBODY, sender_knows=NOBODY)
    assert merged.values is not None and merged.values["deleted"] == 1 and merged.values["phone"] == "111"
    deleted_earlier = row(deleted=1, clocks={"deleted": clock(5, "dev-b")})
    revived = merge_row(deleted_earlier, edited, local_knows=NOBODY, sender_knows=NOBODY)
    assert revived.values is not None and revived.values["deleted"] == 0
    assert [c.field for c in revived.conflicts] == ["deleted"]


def test_a_deletion_of_an_untouched_row_is_no_conflict() -> None:
    untouched = row()
    deleted = row(deleted=1, clocks={"deleted": clock(20, "dev-b")})
    merged = merge_row(untouched, deleted, local_knows=NOBODY, sender_knows=NOBODY)
    assert merged.values is not None and merged.values["deleted"] == 1 and merged.conflicts == []


def test_a_row_from_an_older_schema_leaves_newer_columns_alone() -> None:
    local = row(phone="111", updated_by="staff-1", clocks={"phone": clock(10, "dev-a")})
    incoming = row(phone="222", clocks={"phone": clock(20, "dev-b")})
    merged = merge_row(local, incoming, local_knows=NOBODY, sender_knows=NOBODY)
    assert merged.values is not None and merged.values["updated_by"] == "staff-1"


edits = st.lists(
    st.tuples(
        st.sampled_from(["phone", "room", "deleted"]),
        st.sampled_from(["dev-a", "dev-b", "dev-c"]),
        st.integers(2, 60),
        st.sampled_from(["x", "y", 1, 0]),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda edit: (edit[1], edit[2]),  # one clock value is one edit
)


def build(changes: list[tuple[str, str, int, object]]) -> dict[str, object]:
    """A row version holding some edits (each field keeps its latest edit)."""
    fields: dict[str, object] = {}
    clocks: dict[str, str] = {}
    for name, device, ms, value in changes:
        stamp = clock(ms, device)
        if stamp > clocks.get(name, ""):
            clocks[name] = stamp
            fields[name] = (1 if value else 0) if name == "deleted" else str(value)
    newest_edit = max((c for f, c in clocks.items() if f != "deleted"), default="")
    if "deleted" in clocks and not (fields["deleted"] and clocks["deleted"] > newest_edit):
        fields["deleted"] = 0  # the stored (effective) value: an edit after the deletion revived the row
    return row(**fields, clocks=clocks)


def merged(a: dict[str, object], b: dict[str, object]) -> dict[str, object]:
    result = merge_row(a, b, local_knows=NOBODY, sender_knows=NOBODY).values
    return a if result is None else result


@settings(max_examples=150, derandomize=True, deadline=None)
@given(edits, st.lists(st.lists(st.integers(0, 7), min_size=1, max_size=8), min_size=2, max_size=4))
def test_merging_is_order_free_and_idempotent(
    pool: list[tuple[str, str, int, object]], holdings: list[list[int]]
) -> None:
    """Each device holds some of the same edits; merging them in any order gives one row."""
    rows = [build([pool[i % len(pool)] for i in held]) for held in holdings]
    results = []
    for order in itertools.permutations(rows):
        state = order[0]
        for other in order[1:]:
            state = merged(state, other)
        results.append(state)
        assert merged(state, state) == state
        assert all(merged(state, r) == state for r in rows)  # importing a file again changes nothing
    assert all(r == results[0] for r in results)
    assert results[0] == build(sorted({pool[i % len(pool)] for held in holdings for i in held}, key=repr))
