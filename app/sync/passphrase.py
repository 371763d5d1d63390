"""The one-time passphrase that protects a join package: long enough, and not trivially guessable.

A join package holds a full copy of the center's health records, so its passphrase must resist an
offline guessing attack on a lost USB stick. scrypt makes each guess cost about 0.4 s; the rules below
refuse the passphrases such an attack tries first.
"""

from __future__ import annotations

import string

from app.domain.errors import ValidationError
from app.domain.i18n import register

MIN_LENGTH = 10
MIN_DIGITS_ONLY_LENGTH = 14
MIN_DISTINCT = 5

register(
    {
        "field.passphrase": {"zh_CN": "口令", "en": "Passphrase"},
        "passphrase.too_short": {
            "zh_CN": "口令至少需要 {n} 个字符",
            "en": "the passphrase needs at least {n} characters",
        },
        "passphrase.digits_only": {
            "zh_CN": "纯数字口令至少需要 {n} 位",
            "en": "a passphrase of digits only needs at least {n} digits",
        },
        "passphrase.too_simple": {
            "zh_CN": "口令太简单（重复或连续的字符、常见口令），请换一个",
            "en": "the passphrase is too simple (repeated or consecutive characters, a common password)",
        },
        "passphrase.mismatch": {
            "zh_CN": "两次输入的口令不一致",
            "en": "the two passphrases differ",
        },
    }
)

COMMON = frozenset(
    {
        "password",
        "passw0rd",
        "qwertyuiop",
        "asdfghjkl",
        "zxcvbnm",
        "iloveyou",
        "woaini",
        "admin",
        "carerounds",
        "abc123",
        "123456",
        "88888888",
        "66666666",
        "1qaz2wsx",
        "qazwsx",
    }
)
_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", string.ascii_lowercase)


def _is_run(text: str) -> bool:
    """Return whether ``text`` is a run of neighbours: "0123456789", "abcdefghij", "qwertyuiop", reversed too."""
    lowered = text.lower()
    for row in _KEYBOARD_ROWS:
        for candidate in (row, row[::-1]):
            doubled = candidate * 3
            if lowered in doubled:
                return True
    return False


def _repeats_a_pattern(text: str) -> bool:
    """Return whether ``text`` is a short piece repeated ("abcabcabca", "12121212121")."""
    for size in range(1, 4):
        piece = text[:size]
        if (piece * (len(text) // size + 1))[: len(text)] == text:
            return True
    return False


def check_passphrase(passphrase: str, confirmation: str | None = None) -> None:
    """Refuse a passphrase that is too weak, or that differs from its confirmation.

    Raises:
        ValidationError: what is wrong, in words a nurse understands (the value is never shown).
    """
    hidden = "********"
    if confirmation is not None and passphrase != confirmation:
        raise ValidationError("passphrase", hidden, "passphrase.mismatch")
    text = passphrase.strip()
    if len(text) < MIN_LENGTH:
        raise ValidationError("passphrase", hidden, "passphrase.too_short", n=MIN_LENGTH)
    if text.isdigit() and len(text) < MIN_DIGITS_ONLY_LENGTH:
        raise ValidationError("passphrase", hidden, "passphrase.digits_only", n=MIN_DIGITS_ONLY_LENGTH)
    lowered = text.lower()
    stripped = lowered.rstrip(string.digits + string.punctuation)
    if (
        len(set(text)) < MIN_DISTINCT
        or _repeats_a_pattern(text)
        or _is_run(text)
        or any(lowered.startswith(word) and len(set(lowered[len(word) :])) <= 2 for word in COMMON)
        or stripped in COMMON
    ):
        raise ValidationError("passphrase", hidden, "passphrase.too_simple")
