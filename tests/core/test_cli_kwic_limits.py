"""`newsdesk kwic` with a pasted page as TERM is one usage line, not a traceback quoting a
regex of 120,000 characters (the engine refuses a compiled regex past 10 MB); a long phrase
within the limit still runs."""

from __future__ import annotations

from tests.core.test_cli_parse import run_newsdesk


def test_a_term_past_the_limit_is_one_usage_line() -> None:
    done = run_newsdesk("kwic", "seeds", "tide " * 24_000)
    assert done.returncode == 2, done.stderr[-500:]
    assert done.stderr == "newsdesk: TERM is too long (120,000 characters; at most 2,000)\n"
    assert done.stdout == ""


def test_a_phrase_at_the_limit_runs() -> None:
    done = run_newsdesk("kwic", "seeds", " ".join(["k"] * 1000)[:2000])
    # It ran to the end: no line holds the phrase, which is said in one line.
    assert done.returncode == 1, done.stderr[-500:]
    assert done.stderr.startswith('newsdesk: no occurrences of "k k k') and done.stderr.count("\n") == 1


def test_a_huge_width_is_one_usage_line() -> None:
    """Each line is padded to the width: 100,000,000 took 34 s and 900 MB for one term."""
    done = run_newsdesk("kwic", "seeds", "Russia", "--width", "100000000")
    assert done.returncode == 2, done.stderr[-500:]
    assert done.stderr == "newsdesk: --width must be at most 10,000\n"
    assert run_newsdesk("kwic", "seeds", "Russia", "--width", "10000").returncode == 0
