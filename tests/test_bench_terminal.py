"""How bench/terminal.py reads the rows shown off the dashboard's and visidata's screens
(lines as tmux captured them while each loaded a 200 MB table)."""

from __future__ import annotations

from bench import terminal

FOOTER = " o Overview" + " " * 60 + "? Help  q Quit ▏^p palette"


def test_the_dashboard_is_done_when_its_status_shows_no_parsing() -> None:
    loading = f"title\n 53 of 53  sort: relevance ↓  parsing 0/1 files 88.4 MB/s ~2s left\n{FOOTER}"
    done = f"title\n 41,442 of 41,442  sort: relevance ↓  keywords 0/41,442\n{FOOTER}"
    assert terminal.dashboard_rows(loading) == (53, False)
    assert terminal.dashboard_rows(done) == (41442, True)
    assert terminal.dashboard_rows(f" loading…  sort: relevance ↓\n{FOOTER}") is None


def test_the_dashboard_counts_the_corpus_not_the_filtered_rows() -> None:
    assert terminal.dashboard_rows(" 12 of 41,442  sort: date ↓") == (41442, True)


def test_visidata_is_done_when_reading_has_gone() -> None:
    reading = " " * 80 + "36% reading…          15014 rows [1/1]"
    done = " " * 100 + "41442 rows [1/1]"
    assert terminal.visidata_rows(f"a\n{reading}") == (15014, False)
    assert terminal.visidata_rows(f"a\n{done}") == (41442, True)
    assert terminal.visidata_rows("# vd export.jsonl") is None
