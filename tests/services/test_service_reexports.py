"""The visits, records, rounds, triage and demo services were split by responsibility; the old import paths still work.

Screens, the command line and other services import these names from the old modules, so each must stay
there and be the very object the new module defines (an exception caught by the old name is the one raised).
"""

from __future__ import annotations

import importlib

import pytest

MOVED = {
    "app.services.visits.save": {
        "app.services.visits.history": (
            "ChartPoint ReferralInfo VisitChain VisitHistory VisitRecord load_visit visit_history"
        ),
        "app.services.visits.checks": "ResidentForVisit existing_visit resident_for_visit",
        "app.services.visits.entry_rounds": (
            "RecordedVisit RoundChoice RoundSheet SheetResident round_for_visit round_sheet rounds_for_entry"
        ),
    },
    "app.services.records.load": {
        "app.services.editing": "NotFound Saved apply_changes get_live permit",
        "app.services.records.sections": (
            "apply_flags remove_entry save_allergy save_condition save_flags save_medication save_signing"
        ),
        "app.services.records.assessments": "record_ad8 record_care_level record_fall record_self_care",
    },
    "app.services.records.residents": {
        "app.services.records.search": (
            "CURRENT_STATUSES ResidentRow describe_resident existing_id_numbers resolve_resident search_residents"
        ),
        "app.services.records.residence": "apply_move apply_status change_status discharge_resident mark_deceased "
        "save_residence",
    },
    "app.services.rounds.plan": {
        "app.services.rounds.changes": (
            "CANCEL_REASON_MAX RoundNotFound add_round cancel_round move_round restore_round"
        ),
    },
    "app.services.demo": {
        "app.services.demo.center": "DemoRefused create_demo_center",
        "app.services.demo.plan": "DEFAULT_RESIDENTS DEMO_PASSWORD DemoLogin DemoSummary",
    },
    "app.services.triage": {
        "app.services.triage.rules": "ACTIVE_RULES_ID RulesInfo current_rules load_rules may save_rules",
        "app.services.triage.facts": "ResidentInfo Scope Vitals bed_label bed_sort_key load_facts natural_key",
        "app.services.triage.review": "RefreshResult ReviewRow refresh_suggestions suggest_differences triage_review",
        "app.services.triage.decisions": (
            "OVERRIDE_REASON_MAX HistoryEntry Rejected ResidentNotFound ResidentTriage TriageChanges "
            "confirm_suggestions override_colour resident_triage"
        ),
    },
}


@pytest.mark.parametrize("old", sorted(MOVED))
def test_moved_names_are_the_same_objects_under_the_old_path(old: str) -> None:
    old_module = importlib.import_module(old)
    for new, names in MOVED[old].items():
        new_module = importlib.import_module(new)
        for name in names.split():
            assert getattr(old_module, name) is getattr(new_module, name), f"{old}.{name}"
            assert name in old_module.__all__, f"{old}.__all__ lacks {name}"


@pytest.mark.parametrize("old", sorted(MOVED))
def test_every_exported_name_exists(old: str) -> None:
    module = importlib.import_module(old)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []
