"""Every action, for every role: the permission table says exactly what the issue asks."""

from __future__ import annotations

import pytest

from app.domain.i18n import LANGUAGES, known_keys, set_language, t
from app.domain.permissions import PERMISSIONS, Action, allowed
from app.domain.roles import Role

EXPECTED: dict[Role, set[Action]] = {
    Role.ADMIN: set(Action),
    Role.DOCTOR: {
        Action.VIEW_RECORDS, Action.VIEW_TRIAGE, Action.PRINT, Action.SYNC, Action.EDIT_RESIDENTS,
        Action.IMPORT_ROSTER, Action.EDIT_INSTITUTIONS, Action.RECORD_VISITS, Action.CONFIRM_TRIAGE,
        Action.EDIT_TRIAGE_RULES, Action.PLAN_ROUNDS, Action.RESOLVE_CONFLICTS,
    },
    Role.NURSE: {Action.VIEW_RECORDS, Action.VIEW_TRIAGE, Action.PRINT, Action.SYNC, Action.RECORD_VISITS},
    Role.ASSISTANT: {
        Action.VIEW_RECORDS, Action.VIEW_TRIAGE, Action.PRINT, Action.SYNC, Action.EDIT_RESIDENTS,
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
