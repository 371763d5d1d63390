"""SQLite's functions and comparisons the store's SQL uses, defined on a PostgreSQL database (issue #20).

The query modules were written for SQLite: ``deleted = 0`` on boolean columns, ``julianday()`` day
numbers, ``group_concat``, ``instr``, ``json_extract`` of a field clock and ``date(…, 'localtime')``.
Rather than keep two copies of every statement, a server database gets these few functions and
operators (installed by the first migration, inside the same transaction), so the same SQL text runs on
both engines; statements whose *shape* differs (SQLite's integer-as-boolean ``CASE``, ``INSERT OR …``)
have a PostgreSQL variant beside them in their query module, chosen by the dialect.

All are ``IMMUTABLE`` SQL functions (PostgreSQL inlines them, so ``deleted = 0`` plans as ``deleted =
false`` and uses the same indexes), except ``date(…, 'localtime')``, which reads the workstation's UTC
offset from the session setting ``carerounds.utc_offset`` (:mod:`app.store.engines` sets it per
connection) and is ``STABLE``.
"""

from __future__ import annotations

from collections.abc import Iterable

_BOOL_OPERATORS = "\n".join(
    f"""
CREATE FUNCTION carerounds_bool_{name}_{kind}(boolean, {kind}) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1 {op} ($2 <> 0)';
CREATE FUNCTION carerounds_{kind}_{name}_bool({kind}, boolean) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT ($1 <> 0) {op} $2';
CREATE OPERATOR {op} (LEFTARG = boolean, RIGHTARG = {kind}, FUNCTION = carerounds_bool_{name}_{kind});
CREATE OPERATOR {op} (LEFTARG = {kind}, RIGHTARG = boolean, FUNCTION = carerounds_{kind}_{name}_bool);
"""
    for kind in ("integer", "bigint", "smallint")
    for name, op in (("eq", "="), ("ne", "<>"))
)

STATEMENTS: tuple[str, ...] = (
    # deleted = 0, active = 1: SQLite keeps booleans as 0/1
    _BOOL_OPERATORS,
    # julianday(): SQLite's Julian day (noon-based; midnight of a day is .5)
    "CREATE FUNCTION julianday(date) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$SELECT to_char($1, 'J')::integer - 0.5::double precision$$",
    "CREATE FUNCTION julianday(timestamp) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$SELECT to_char($1, 'J')::integer - 0.5 + extract(epoch FROM $1 - date_trunc('day', $1)) / 86400.0$$",
    "CREATE FUNCTION julianday(text) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$SELECT julianday($1::timestamp)$$",
    # group_concat(value, separator), as SQLite's: NULLs skipped, NULL when there is nothing
    "CREATE FUNCTION carerounds_concat_step(text, text, text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || $3 || $2 END$$",
    "CREATE AGGREGATE group_concat(text, text) (SFUNC = carerounds_concat_step, STYPE = text)",
    # SUM(condition): SQLite counts true comparisons as 1
    "CREATE FUNCTION carerounds_sum_step(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$SELECT COALESCE($1, 0) + CASE WHEN $2 THEN 1 ELSE 0 END$$",
    "CREATE AGGREGATE sum(boolean) (SFUNC = carerounds_sum_step, STYPE = bigint)",
    # MAX(condition) / MIN(condition): "any" / "all" of the rows (SQLite compares 0/1)
    "CREATE AGGREGATE max(boolean) (SFUNC = boolor_statefunc, STYPE = boolean)",
    "CREATE AGGREGATE min(boolean) (SFUNC = booland_statefunc, STYPE = boolean)",
    # instr(haystack, needle): 1-based position, 0 when absent
    "CREATE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$SELECT strpos($1, $2)$$",
    # json_extract(text, '$.key') of the per-field clocks (one level, a text value)
    "CREATE FUNCTION json_extract(text, text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$SELECT ($1::json) ->> substr($2, 3)$$",
    # json_each(:ids): the values of a JSON array passed as text ("IN (SELECT value FROM json_each(:ids))")
    "CREATE FUNCTION json_each(text) RETURNS TABLE(value text) LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$SELECT json_array_elements_text($1::json)$$",
    # date(moment, 'localtime') and date(epoch seconds, 'unixepoch', 'localtime'): the workstation's local day
    "CREATE FUNCTION date(timestamp, text) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE "
    "AS $$SELECT CASE WHEN $2 = 'localtime' "
    "THEN ($1 + COALESCE(NULLIF(current_setting('carerounds.utc_offset', true), ''), '0')::interval)::date "
    "ELSE carerounds_add_years($1::date, $2) END$$",
    "CREATE FUNCTION date(timestamptz, text) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE "
    "AS $$SELECT date(($1 AT TIME ZONE 'UTC')::timestamp, $2)$$",
    "CREATE FUNCTION date(bigint, text, text) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE "
    "AS $$SELECT date((to_timestamp($1) AT TIME ZONE 'UTC')::timestamp, $3)$$",
    # date(day, '+N years'): SQLite's arithmetic, 29 February on a year without one is 1 March
    "CREATE FUNCTION carerounds_add_years(date, text) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$SELECT CASE WHEN to_char($1, 'MM-DD') = '02-29' "
    "AND to_char(($1 + (split_part(trim($2), ' ', 1) || ' years')::interval)::date, 'MM-DD') = '02-28' "
    "THEN ($1 + (split_part(trim($2), ' ', 1) || ' years')::interval)::date + 1 "
    "ELSE ($1 + (split_part(trim($2), ' ', 1) || ' years')::interval)::date END$$",
    "CREATE FUNCTION date(date, text) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$SELECT carerounds_add_years($1, $2)$$",
)
"""The definitions, in order (``carerounds_add_years`` is referenced lazily by ``date(timestamp, text)``)."""


def install(execute: object) -> None:
    """Define the functions and operators with ``execute`` (Alembic's ``op.execute``)."""
    run = execute  # typed loosely: Alembic's op.execute or a connection's exec_driver_sql
    for statement in _ordered(STATEMENTS):
        run(statement)  # type: ignore[operator]


def _ordered(statements: Iterable[str]) -> list[str]:
    """``carerounds_add_years`` first: SQL functions' bodies are checked when they are created."""
    first = [s for s in statements if "FUNCTION carerounds_add_years" in s]
    return first + [s for s in statements if s not in first]
