"""The de-duplicator: first sightings kept as the articles, repeats counted, and languages
given after the rows they belong to."""

from __future__ import annotations

import polars as pl

from core.corpus import SIGHTING_ORDER, SIGHTING_SCHEMA, Deduplicator


def test_languages_filled_in_later_reach_the_articles_and_every_sighting_in_their_order() -> None:
    def sighting(ident: str, language: str | None) -> dict[str, object]:
        return {"id": ident, "title": ident, "body": f"{ident} body", "language": language, "path": "a.jsonl"}

    rows = [sighting("a", "en"), sighting("b", None), sighting("a", None), sighting("c", None), sighting("d", "ru")]
    frame = pl.DataFrame(rows).select(
        pl.col(name).cast(dtype) if name in rows[0] else pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in SIGHTING_SCHEMA.items()
    )
    deduplicator = Deduplicator(keep_repeats=True)
    deduplicator.add(frame.head(2))
    deduplicator.add(frame.tail(3))
    assert deduplicator.articles().get_column("language").to_list() == ["en", None, None, "ru"]
    # Sightings 1 to 3 (b, the repeat of a, c): a language already there is kept.
    deduplicator.fill_languages(1, pl.Series(["de", "fr", "nl"]))
    articles = deduplicator.articles()
    assert articles.get_column("id").to_list() == ["a", "b", "c", "d"]
    assert articles.get_column("language").to_list() == ["en", "de", "nl", "ru"]
    assert articles.get_column("copies").to_list() == [2, 1, 1, 1]
    first, repeats = deduplicator.sightings()
    assert first.get_column("language").to_list() == ["en", "de", "nl", "ru"]
    assert repeats.get_column(SIGHTING_ORDER).to_list() == [2]
    assert repeats.get_column("language").to_list() == ["fr"]
