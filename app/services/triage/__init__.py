"""Triage — 分类管理: the rules (`rules`), the facts they need in bulk (`facts`), suggestions and the review
(`review`), a doctor's confirmation or override and the colour history (`decisions`).

Uses the store's units of work and query modules (`queries.triage`) and the domain's triage rules; nothing
above services. The rules live in the active :class:`~app.store.models.TriageRuleSet` (the DOMAIN §5–6
defaults when there is none); :func:`refresh_suggestions` stores each resident's suggestion in
``Resident.suggested_colour``; only a doctor (or an administrator) confirms or overrides, and each decision
is a :class:`~app.store.models.TriageDecision`. The names callers use are importable from here.
"""

from app.services.triage.decisions import (
    OVERRIDE_REASON_MAX,
    HistoryEntry,
    Rejected,
    ResidentNotFound,
    ResidentTriage,
    TriageChanges,
    confirm_suggestions,
    override_colour,
    resident_triage,
)
from app.services.triage.facts import (
    ResidentInfo,
    Scope,
    Vitals,
    bed_label,
    bed_sort_key,
    load_facts,
    natural_key,
)
from app.services.triage.review import (
    RefreshResult,
    ReviewRow,
    refresh_suggestions,
    suggest_differences,
    triage_review,
)
from app.services.triage.rules import ACTIVE_RULES_ID, RulesInfo, current_rules, load_rules, may, save_rules

__all__ = [
    "ACTIVE_RULES_ID",
    "OVERRIDE_REASON_MAX",
    "HistoryEntry",
    "RefreshResult",
    "Rejected",
    "ResidentInfo",
    "ResidentNotFound",
    "ResidentTriage",
    "ReviewRow",
    "RulesInfo",
    "Scope",
    "TriageChanges",
    "Vitals",
    "bed_label",
    "bed_sort_key",
    "confirm_suggestions",
    "current_rules",
    "load_facts",
    "load_rules",
    "may",
    "natural_key",
    "override_colour",
    "refresh_suggestions",
    "resident_triage",
    "save_rules",
    "suggest_differences",
    "triage_review",
]
