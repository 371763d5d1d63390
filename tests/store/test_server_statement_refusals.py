"""A statement the server refuses once connected is said wholly in the user's language (app.store.server_errors).

Before: a role without CREATEDB made the server daily backup say "备份已写好，但无法检查：……服务器拒绝了：permission
denied to create database" — a Chinese sentence ending in the server's English. Now the sentence says what is
missing and what to do; the server's own words are the error's ``detail`` (the window shows them under "Show
Details…"). A refusal not known here still quotes them, for the IT staff (as :func:`connection_failure` does).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from app.domain import i18n
from app.store.engines import ServerURL
from app.store.server_errors import statement_refused

URL = ServerURL("postgresql://nurse@db.center.lan:5432/carerounds")
NO_CREATEDB = "permission denied to create database\n"


@pytest.fixture
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_no_createdb_is_a_chinese_sentence_without_the_servers_english(language: str) -> None:
    said = statement_refused(URL, NO_CREATEDB)
    assert "permission denied" not in said and "没有 CREATEDB 权限" in said and "ALTER ROLE nurse CREATEDB" in said
    latin = set(re.findall(r"[A-Za-z]+", said))
    assert latin <= {"db", "center", "lan", "nurse", "CREATEDB", "ALTER", "ROLE", "docs", "postgresql", "md"}, latin


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_no_createdb_in_english_names_the_role_and_what_to_do(language: str) -> None:
    said = statement_refused(URL, NO_CREATEDB)
    assert "does not let user nurse create a database" in said and "ALTER ROLE nurse CREATEDB" in said
    assert "permission denied" not in said


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_refusal_not_known_here_quotes_the_servers_reason_without_its_prefix(language: str) -> None:
    said = statement_refused(URL, "ERROR:  must be owner of database carerounds\n")
    assert said.startswith("数据库服务器 db.center.lan:5432 拒绝了这一操作") and said.endswith(
        "must be owner of database carerounds"
    )
    assert "ERROR" not in said
