"""The working copy's table and field names match the database's columns: a column renamed in
storage, or one added that a reviewer can edit, fails here instead of on a head's laptop."""

from __future__ import annotations

from typing import get_args

import pytest

from nexus_review import workspace
from nexus_review.domain.working_copy import (
    FIELDS,
    VISIT_TABLES,
    Field,
    ListOrder,
    Record,
    Table,
)
from nexus_review.storage import models


def _columns(table: str) -> set[str]:
    return {c.key for c in models.Base.metadata.tables[table].columns}


def test_every_table_is_a_table_of_the_database() -> None:
    for table in Table:
        assert table.value in models.Base.metadata.tables, table


def test_the_tables_named_are_the_tables_a_change_may_edit() -> None:
    assert set(workspace.EDITABLE) == set(Table)
    for table, model in workspace.EDITABLE.items():
        assert model.__tablename__ == table


@pytest.mark.parametrize("table", list(Table))
def test_every_field_named_is_a_column(table: Table) -> None:
    columns = _columns(table)
    assert {f.value for f in FIELDS[table]} - columns == set()
    assert {f.value for f in Record} - columns == set()


@pytest.mark.parametrize("table", list(Table))
def test_every_column_a_change_may_set_is_named(table: Table) -> None:
    editable = _columns(table) - workspace.PROTECTED
    named = {f.value for f in FIELDS[table]} | {Record.DELETED.value}
    assert editable - named == set()


def test_what_lists_are_ordered_by_is_a_column_of_the_visit() -> None:
    visit_columns = set().union(*(_columns(t) for t in VISIT_TABLES))
    for name in ListOrder:
        assert name.value in visit_columns, name


def test_a_field_may_be_any_table_s_own_or_the_tombstone() -> None:
    assert set(get_args(Field)) == {Record, *FIELDS.values()}


def test_each_name_is_the_string_stored() -> None:
    assert Table.DROP_IN == "drop_in"
    assert {"drop_in": 1}[Table.DROP_IN] == 1
    assert f"{FIELDS[Table.EVIDENCE]('look_fors')}" == "look_fors"
