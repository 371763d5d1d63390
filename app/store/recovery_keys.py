"""The recovery key: 160 random bits printed as 8 groups of 4 characters, each group with a check character.

Crockford's base 32 (no I, L, O, U; typed O, I and L are read as 0, 1 and 1); the check character of a group
is a Luhn mod 32 over its characters and its position, so a mistyped character or a group typed in the wrong
place is named before any key is tried (docs/security.md, "Encryption at rest").
"""

from __future__ import annotations

import secrets

from app.store.cipher import RecoveryKeyTypo

RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
RECOVERY_GROUPS, RECOVERY_DATA_CHARS = 8, 4  # 8 × 4 × 5 bits = 160 bits; each group + 1 check character


def _check_char(values: list[int], group: int) -> int:
    """Luhn mod 32 over the group's values (and its position: a group typed in the wrong place is caught)."""
    factor, total = 2, group
    for value in reversed(values):
        addend = factor * value
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return (32 - total % 32) % 32


def new_recovery_key() -> tuple[str, bytes]:
    """Return a new recovery key as printed (``XXXXC-XXXXC-…``, 8 groups) and its 20 secret bytes."""
    secret = secrets.token_bytes(RECOVERY_GROUPS * RECOVERY_DATA_CHARS * 5 // 8)
    return format_recovery_key(secret), secret


def format_recovery_key(secret: bytes) -> str:
    number = int.from_bytes(secret, "big")
    count = RECOVERY_GROUPS * RECOVERY_DATA_CHARS
    values = [(number >> (5 * (count - 1 - i))) & 31 for i in range(count)]
    groups = []
    for g in range(RECOVERY_GROUPS):
        data = values[g * RECOVERY_DATA_CHARS : (g + 1) * RECOVERY_DATA_CHARS]
        chars = "".join(RECOVERY_ALPHABET[v] for v in data) + RECOVERY_ALPHABET[_check_char(data, g)]
        groups.append(chars)
    return "-".join(groups)


def parse_recovery_key(text: str) -> bytes:
    """Return the secret of a recovery key as typed (spaces, dashes and case do not matter; O→0, I/L→1).

    Raises:
        RecoveryKeyTypo: the wrong number of characters, a character not in the alphabet, or a group whose
            check character does not match (the message names the group).
    """
    cleaned = "".join(ch for ch in text.upper() if not ch.isspace() and ch not in "-_")
    cleaned = cleaned.translate(str.maketrans("OILU", "011V"))
    size = RECOVERY_DATA_CHARS + 1
    if len(cleaned) != RECOVERY_GROUPS * size:
        raise RecoveryKeyTypo("cipher.recovery_length", count=len(cleaned))
    values: list[int] = []
    for g in range(RECOVERY_GROUPS):
        group = cleaned[g * size : (g + 1) * size]
        if any(ch not in RECOVERY_ALPHABET for ch in group):
            raise RecoveryKeyTypo("cipher.recovery_typo", group=g + 1, text=group)
        data = [RECOVERY_ALPHABET.index(ch) for ch in group[:-1]]
        if RECOVERY_ALPHABET.index(group[-1]) != _check_char(data, g):
            raise RecoveryKeyTypo("cipher.recovery_typo", group=g + 1, text=group)
        values += data
    number = 0
    for value in values:
        number = (number << 5) | value
    return number.to_bytes(RECOVERY_GROUPS * RECOVERY_DATA_CHARS * 5 // 8, "big")
