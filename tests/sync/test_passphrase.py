"""The join passphrase: long enough and not trivially guessable, typed the same twice."""

from __future__ import annotations

import pytest

from app.domain import i18n
from app.domain.errors import ValidationError
from app.sync.passphrase import check_passphrase


@pytest.mark.parametrize(
    "weak",
    [
        "",
        "short1!",
        "aaaaaaaaaaaa",
        "1234567890",
        "9876543210",
        "13579246801",  # digits only, shorter than 14
        "abcdefghijkl",
        "qwertyuiop",
        "abcabcabcabc",
        "1212121212121212",
        "password1234",
        "Password!!",
        "woaini520520",
    ],
)
def test_weak_passphrases_are_refused(weak: str) -> None:
    with pytest.raises(ValidationError):
        check_passphrase(weak)


@pytest.mark.parametrize(
    "strong", ["Ward-7 round sheet", "康宁街道2026巡诊", "73920184756102", "blue kettle on tuesday"]
)
def test_reasonable_passphrases_pass(strong: str) -> None:
    check_passphrase(strong, strong)


def test_the_two_entries_must_match_and_the_message_never_shows_the_passphrase() -> None:
    i18n.set_language("en")
    with pytest.raises(ValidationError) as refused:
        check_passphrase("Ward-7 round sheet", "Ward-7 round shee")
    assert "differ" in str(refused.value) and "round" not in str(refused.value)
    i18n.set_language("zh_CN")
    with pytest.raises(ValidationError) as short:
        check_passphrase("abc")
    assert "至少需要 10 个字符" in str(short.value)
