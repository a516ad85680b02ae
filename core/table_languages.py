"""The languages of a large table's rows, decided apart from the rows when need be.

What deciding a batch's languages needs of its rows is a fraction of their text
(`language_inputs`): each title, the opening of each body that the first look reads, the
body's length, the stretch of it two thirds in where a second look reads on, and whether
the row is judged on its own text alone. A worker that makes a batch's rows without their
languages writes these down, so that its languages can be decided after every row of the
table is on screen without keeping the rows' text; `decide` reads them the same way
either way, so the languages are the same as when they are decided with the rows.
"""

from __future__ import annotations

import polars as pl

from core.language import (
    BODY_HEAD_CHARS,
    SECOND_LOOK_HEAD,
    SECOND_LOOK_SPACE,
    SECOND_LOOK_WINDOW,
    decide_languages_by_heads,
)

ROW = "__row"
HEAD = "__head"
LENGTH = "__length"
TAIL = "__tail"
ALONE = "__alone"
"""Whether a row is judged on its own text alone (one that may be remembered and reused
in other files), or may take its batch's majority."""
INPUT_SCHEMA: dict[str, pl.DataType] = {HEAD: pl.String(), LENGTH: pl.UInt32(), TAIL: pl.String(), ALONE: pl.Boolean()}
"""The columns `language_inputs` adds to a batch's rows (null for a row decided with it)."""
INPUT_COLUMNS = tuple(INPUT_SCHEMA)


def language_inputs(rows: pl.DataFrame, alone: pl.Series) -> pl.DataFrame:
    """`rows` (cleaned: their title and body) with INPUT_COLUMNS; `alone[i]` says that row
    i is judged on its own text alone."""
    body = pl.col("body")
    length = body.str.len_chars()
    return rows.with_columns(
        body.str.slice(0, BODY_HEAD_CHARS).alias(HEAD),
        length.alias(LENGTH),
        body.str.slice(length * 2 // 3, SECOND_LOOK_SPACE + SECOND_LOOK_WINDOW).alias(TAIL),
        alone.alias(ALONE),
    )


def second_look_text(head: str, tail: str, length: int) -> str:
    """What a second look reads of a body, from its `head` and `tail` (INPUT_COLUMNS), as
    `core.language.second_look_sample` takes it before joining its words: a short body
    whole (its head holds all of it); else its opening, a space, and the window two thirds
    in (from just after a space, when one is near)."""
    if length < SECOND_LOOK_HEAD * 2:
        return head
    space = tail.find(" ", 0, SECOND_LOOK_SPACE)
    start = space + 1 if space >= 0 else 0
    return head[:SECOND_LOOK_HEAD] + " " + tail[start : start + SECOND_LOOK_WINDOW]


def decide(inputs: pl.DataFrame, path: str) -> list[str]:
    """The language of each row of `inputs` (title and INPUT_COLUMNS), all of the file
    shown as `path`, decided together (`core.language.decide_languages_by_heads`)."""
    heads = inputs.get_column(HEAD).to_list()
    lengths = inputs.get_column(LENGTH).to_list()
    tails = inputs.get_column(TAIL)

    def second_looks(ats: list[int]) -> list[str]:
        return [
            second_look_text(heads[at], tail, lengths[at])
            for at, tail in zip(ats, tails.gather(ats).to_list(), strict=True)
        ]

    return decide_languages_by_heads(
        list(zip(inputs.get_column("title").to_list(), heads, strict=True)),
        lengths,
        [None if alone else path for alone in inputs.get_column(ALONE).to_list()],
        second_looks,
    )


def pending(sightings: pl.DataFrame) -> pl.DataFrame:
    """What deciding the languages still to come needs of sightings made with their inputs
    (ROW, title and INPUT_COLUMNS, for the rows whose inputs are there)."""
    return (
        sightings.select("title", *INPUT_COLUMNS)
        .with_row_index(ROW)
        .filter(pl.col(ALONE).is_not_null())
    )


def decide_pending(inputs: pl.DataFrame, path: str, rows: int) -> list[str | None]:
    """The languages of a batch of `rows` rows from what `pending` kept of it: None for a
    row whose language was decided with it."""
    languages: list[str | None] = [None] * rows
    for at, language in zip(inputs.get_column(ROW).to_list(), decide(inputs, path), strict=True):
        languages[at] = language
    return languages
