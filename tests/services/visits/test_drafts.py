"""Drafts of visit forms (app.services.visits.drafts): atomic files that survive a kill mid-typing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.services.visits.drafts import TEMP_PREFIX, Draft, DraftStore, drafts_folder

ROOT = Path(__file__).resolve().parents[3]


def draft(resident: str = "r1", round_id: str | None = "round1", **values: object) -> Draft:
    return Draft(
        resident,
        round_id,
        {"sbp": "150", "findings": "头晕", **values},
        resident_name="张红丽",
        label="2026-11-16 · 康宁养老院",
    )


def test_a_draft_is_kept_next_to_the_database_one_per_resident_and_round(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "center.sqlite")
    path = store.save(draft())
    assert path.parent == tmp_path / "drafts" == drafts_folder(tmp_path / "center.sqlite")
    store.save(draft(sbp="152"))  # the same resident and round: replaced, not added
    store.save(draft(round_id=None))
    store.save(draft("r2"))
    loaded = store.load("r1", "round1")
    assert loaded is not None and loaded.values["sbp"] == "152" and loaded.resident_name == "张红丽"
    assert loaded.saved_at  # stamped when written
    assert sorted((d.resident_id, d.round_id or "") for d in store.all()) == [
        ("r1", ""),
        ("r1", "round1"),
        ("r2", "round1"),
    ]
    assert store.delete("r1", "round1") and not store.delete("r1", "round1")
    assert store.load("r1", "round1") is None


def test_drafts_of_another_database_in_the_same_folder_are_not_offered(tmp_path: Path) -> None:
    DraftStore(tmp_path / "other.sqlite").save(draft())
    assert DraftStore(tmp_path / "center.sqlite").all() == []


NOW = 1_795_000_000.0  # 2026-11-18, as the file times count: the test's own clock, not the process's


def test_unreadable_files_and_leftover_temporary_files_are_skipped(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "center.sqlite", clock=lambda: NOW)
    store.save(draft())
    (store.folder / "center--broken--x.json").write_text("{not json", encoding="utf-8")
    (store.folder / "center--newer--x.json").write_text(json.dumps({"schema": 99, "resident_id": "x", "values": {}}))
    fresh = store.folder / f"{TEMP_PREFIX}fresh.json"
    stale = store.folder / f"{TEMP_PREFIX}stale.json"
    for leftover, age in ((fresh, 60), (stale, 3600)):
        leftover.write_text('{"schema": 1, "resid', encoding="utf-8")
        os.utime(leftover, (NOW - age, NOW - age))
    assert [d.resident_id for d in store.all()] == ["r1"]
    assert fresh.exists() and not stale.exists()  # a write may still be going on; a stale one is removed


def test_a_failed_write_keeps_the_previous_draft_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = DraftStore(tmp_path / "center.sqlite")
    store.save(draft(sbp="150"))

    def broken_replace(source: object, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save(draft(sbp="999"))
    monkeypatch.undo()
    loaded = store.load("r1", "round1")
    assert loaded is not None and loaded.values["sbp"] == "150"
    assert [p.name for p in store.folder.iterdir()] == [store.path_for("r1", "round1").name]


def test_drafts_are_private_to_the_user(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "center.sqlite")
    path = store.save(draft())
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0


def test_a_draft_is_offered_back_to_the_person_who_typed_it_and_to_nobody_else(tmp_path: Path) -> None:
    database = tmp_path / "center.sqlite"
    nurse1, nurse2 = DraftStore(database, author_id="nurse-1"), DraftStore(database, author_id="nurse-2")
    nurse1.save(draft(sbp="150"))
    assert nurse1.load("r1", "round1").author_id == "nurse-1"  # type: ignore[union-attr]
    assert [d.values["sbp"] for d in DraftStore(database, author_id="nurse-1").all()] == ["150"]  # next sign-in
    assert nurse2.all() == [] and nurse2.load("r1", "round1") is None
    nurse2.save(draft(sbp="170"))  # the same resident and round: a draft of its own, the first one stays
    assert nurse1.load("r1", "round1").values["sbp"] == "150"  # type: ignore[union-attr]
    assert nurse2.load("r1", "round1").values["sbp"] == "170"  # type: ignore[union-attr]
    assert nurse2.delete("r1", "round1")  # nurse2 saved the visit: only nurse2's draft goes
    assert nurse1.load("r1", "round1") is not None and nurse2.all() == []
    assert len(DraftStore(database).all()) == 1  # a script sees every draft


def test_draft_files_written_before_drafts_had_an_author_are_still_read(tmp_path: Path) -> None:
    database = tmp_path / "center.sqlite"
    folder = drafts_folder(database)
    folder.mkdir()
    old = {
        "schema": 1,
        "resident_id": "r1",
        "round_id": "round1",
        "resident_name": "张红丽",
        "label": "康宁养老院",
        "corrects_id": None,
        "saved_at": "2026-11-16T02:00:00.000+00:00",
        "values": {"sbp": "150"},
    }
    (folder / "center--r1--round1.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    nurse = DraftStore(database, author_id="nurse-1")
    found = nurse.load("r1", "round1")
    assert found is not None and found.values == {"sbp": "150"} and found.author_id is None
    assert [d.resident_id for d in nurse.all()] == ["r1"]
    assert nurse.delete("r1", "round1") and not (folder / "center--r1--round1.json").exists()
    # and a file written now is still read by the code before authors (the author is one more key)
    path = nurse.save(draft())
    assert Draft.from_json(json.loads(path.read_text(encoding="utf-8"))).author_id == "nurse-1"


TYPIST = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from app.services.visits.drafts import Draft, DraftStore

    store = DraftStore(Path(sys.argv[1]))
    count = 0
    while True:  # a nurse typing: every keystroke saves the draft again, until the process is killed
        count += 1
        text = "头晕，双下肢水肿。" * (count % 50 + 1)
        store.save(Draft("r1", "round1", {"counter": count, "findings": text, "check": len(text)}))
        if count in (20, 300):
            print("typing" if count == 20 else "still typing", flush=True)
    """
)


def test_a_process_killed_while_typing_leaves_an_intact_draft(tmp_path: Path) -> None:
    database = tmp_path / "center.sqlite"
    typist = subprocess.Popen(
        [sys.executable, "-c", TYPIST, str(database)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert typist.stdout is not None
        assert typist.stdout.readline().strip() == "typing"
        assert typist.stdout.readline().strip() == "still typing"  # hundreds of writes on: kill it amid one
    finally:
        typist.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
        typist.wait(timeout=10)
    store = DraftStore(database)
    found = store.load("r1", "round1")
    assert found is not None, "the draft was lost"
    assert int(found.values["counter"]) >= 20
    assert len(found.values["findings"]) == found.values["check"]  # the whole text of one write, not half
    assert [d.resident_id for d in store.all()] == ["r1"]
