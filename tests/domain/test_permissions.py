"""Every action, for every role: the permission table says exactly what the issue asks."""

from __future__ import annotations

import pytest

from app.domain.i18n import LANGUAGES, known_keys, set_language, t
from app.domain.permissions import PERMISSIONS, Action, allowed
from app.domain.roles import Role

EXPECTED: dict[Role, set[Action]] = {
    Role.ADMIN: set(Action),
    Role.DOCTOR: {
        Action.VIEW_RECORDS,
        Action.VIEW_TRIAGE,
        Action.PRINT,
        Action.SYNC,
        Action.EDIT_RESIDENTS,
        Action.IMPORT_ROSTER,
        Action.EDIT_INSTITUTIONS,
        Action.RECORD_VISITS,
        Action.CONFIRM_TRIAGE,
        Action.EDIT_TRIAGE_RULES,
        Action.PLAN_ROUNDS,
        Action.RESOLVE_CONFLICTS,
        Action.MANAGE_BEDS,
        Action.CHECK_BEDS,
        Action.RECORD_REFILLS,
    },
    Role.NURSE: {
        Action.VIEW_RECORDS,
        Action.VIEW_TRIAGE,
        Action.PRINT,
        Action.SYNC,
        Action.RECORD_VISITS,
        Action.CHECK_BEDS,
        Action.RECORD_REFILLS,
    },
    Role.ASSISTANT: {
        Action.VIEW_RECORDS,
        Action.VIEW_TRIAGE,
        Action.PRINT,
        Action.SYNC,
        Action.EDIT_RESIDENTS,
        Action.IMPORT_ROSTER,
    },
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_each_action_for_each_role(role: Role, action: Action) -> None:
    assert allowed(role, action) == (action in EXPECTED[role])


def test_every_role_has_an_entry() -> None:
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_action_has_a_label(language: str) -> None:
    set_language(language)
    for action in Action:
        assert f"action.{action.value}" in known_keys()
        assert action.label and action.label != f"action.{action.value}"
    assert "{" not in t("permission.denied", role="x", action="y")


# The issue's own sentences, one test each, so a change to the table that breaks them is caught by name.


def test_a_nurse_records_visits_and_sees_suggestions_but_cannot_confirm_colours_or_edit_agreements() -> None:
    assert allowed(Role.NURSE, Action.RECORD_VISITS) and allowed(Role.NURSE, Action.VIEW_TRIAGE)
    assert not allowed(Role.NURSE, Action.CONFIRM_TRIAGE)
    assert not allowed(Role.NURSE, Action.EDIT_INSTITUTIONS)


def test_an_assistant_manages_rosters_and_prints() -> None:
    assert allowed(Role.ASSISTANT, Action.IMPORT_ROSTER) and allowed(Role.ASSISTANT, Action.EDIT_RESIDENTS)
    assert allowed(Role.ASSISTANT, Action.PRINT)
    assert not allowed(Role.ASSISTANT, Action.CONFIRM_TRIAGE) and not allowed(Role.ASSISTANT, Action.RECORD_VISITS)


def test_a_doctor_confirms_colours_and_plans_rounds_but_manages_no_accounts() -> None:
    assert allowed(Role.DOCTOR, Action.CONFIRM_TRIAGE) and allowed(Role.DOCTOR, Action.PLAN_ROUNDS)
    assert not allowed(Role.DOCTOR, Action.MANAGE_USERS) and not allowed(Role.DOCTOR, Action.MANAGE_SETTINGS)


def test_only_the_administrator_manages_users_settings_audit_and_backups() -> None:
    admin_only = {
        Action.MANAGE_USERS,
        Action.MANAGE_SETTINGS,
        Action.VIEW_AUDIT,
        Action.BACKUP_RESTORE,
        Action.ADD_DEVICE,
    }
    for role in Role:
        assert {action for action in admin_only if allowed(role, action)} == (
            admin_only if role is Role.ADMIN else set()
        )


def test_everyone_may_sync_so_that_a_nurses_laptop_can_hand_in_its_visits() -> None:
    assert all(allowed(role, Action.SYNC) for role in Role)
