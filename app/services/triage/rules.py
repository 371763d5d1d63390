"""Triage rules — 分类规则: the rules in force (the active rule set, else the DOMAIN §5–6 defaults), saving
new ones (doctor or administrator), and whether the signed-in staff member may do something.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action, allowed
from app.domain.triage import (
    DEFAULT_RULES,
    TriageRules,
    rules_from_dict,
    rules_from_json,
    rules_to_json,
)
from app.services.authz import current_actor, require
from app.store.models import TriageRuleSet
from app.store.queries import triage as queries
from app.store.uow import UnitOfWork

ACTIVE_RULES_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "carerounds:triage-rules:active"))
"""The id of the rule set every device edits, so two devices never make two competing rule sets."""

register(
    {
        "triage.rules_broken": {
            "zh_CN": "保存的分类规则无法读取（{error}），暂用默认规则",
            "en": "the saved triage rules cannot be read ({error}); using the defaults",
        },
    }
)


@dataclass(frozen=True)
class RulesInfo:
    """The rules in force and where they come from.

    Attributes:
        rules: the rules used for suggestions and plans.
        stored: whether they come from the database (False: the built-in defaults).
        problem: why the stored rules could not be used, or None.
        updated_at: when the stored rules were last saved (UTC), or None.
    """

    rules: TriageRules
    stored: bool
    problem: str | None = None
    updated_at: datetime | None = None


def current_rules(uow: UnitOfWork) -> RulesInfo:
    """Return the rules in force (call inside ``with uow``)."""
    row = queries.active_rule_set(uow)
    if row is None:
        return RulesInfo(DEFAULT_RULES, stored=False)
    try:
        return RulesInfo(rules_from_json(row.rules), stored=True, updated_at=row.created_at)
    except ValidationError as error:
        return RulesInfo(DEFAULT_RULES, stored=False, problem=t("triage.rules_broken", error=error))


def load_rules(uow: UnitOfWork) -> RulesInfo:
    """Return the rules in force, in their own read transaction."""
    with uow.reading() as uow:
        return current_rules(uow)


def save_rules(uow: UnitOfWork, *, document: Mapping[str, Any] | str) -> TriageRules:
    """Check and store new triage rules as the active rule set (doctor or administrator).

    Args:
        document: the rules document (a mapping as in :func:`~app.domain.triage.rules_to_dict`, or its JSON).

    Returns:
        The rules now in force.

    Raises:
        PermissionDenied: the signed-in role may not edit the rules.
        ValidationError: the document is malformed, a value is out of range or thresholds contradict.
    """
    with uow:
        require(uow, Action.EDIT_TRIAGE_RULES)
        rules = rules_from_json(document) if isinstance(document, str) else rules_from_dict(document)
        text = rules_to_json(rules)
        row = uow.session.get(TriageRuleSet, ACTIVE_RULES_ID)
        if row is None:
            row = TriageRuleSet(id=ACTIVE_RULES_ID, name="active", rules=text, active=True)
        else:
            row.rules, row.active, row.deleted = text, True, False
        uow.session.add(row)
        for other in queries.other_active_rule_sets(uow, ACTIVE_RULES_ID):
            other.active = False
            uow.session.add(other)
        uow.commit()
        return rules


def may(uow: UnitOfWork, action: Action) -> bool:
    """Return whether the signed-in staff member may do ``action`` (for screens to enable buttons)."""
    with uow.reading() as uow:
        actor = current_actor(uow)
        return actor is not None and allowed(actor.role, action)
