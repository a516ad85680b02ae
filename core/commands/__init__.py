"""The command line: `newsdesk [PATH...]` opens the dashboard; subcommands run the engine headless.

    newsdesk [PATH...] [--follow-links]        open the TUI (no path: the bundled seeds/)
    newsdesk parse PATH... [--format jsonl|csv|parquet] [-o FILE] [--where FILTER]
    newsdesk parse --audit PATH... [--format table|jsonl|csv|parquet] [-o FILE]
    newsdesk keywords PATH... [--top N] [--per-article] [--format jsonl|csv|table] [--engine NAME]
                              [--where FILTER [--distinctive]]
    newsdesk index PATH...
    newsdesk kwic PATH... TERM [--width N] [--where FILTER]
    newsdesk serve [PATH...] [--port N] [--host ADDR] [--max-sessions N] [--public-url URL]
                                               the same TUI in a browser, behind a per-launch token
    newsdesk config [--path | --bindings]              the effective config as TOML / its file

This package is the whole grammar (`arguments`) and every command that needs no screen
(`headless`); what does need one (the dashboard, `serve`, the keymap's bindings) is handed
to `main` as an `Interface` by the interface's command line, `tui.cli`, so nothing here
imports Textual, Rich or `tui`. `python -m core.commands` runs the headless commands alone.

`--config FILE` (anywhere before `--`) reads that config file instead of
`config.toml` in the config dir; the config gives the defaults for `--engine` and the
keywords per article, and the app's theme and keymap.
`--where FILTER` applies the filter language (docs/design.md, "The filter language")
first, so a view of the TUI can be reproduced in a script; a filter that does not parse is one line
`newsdesk: bad filter: MESSAGE: TERM`, exit 2. `parse` and `kwic` index keywords (cached)
only when the filter has a `kw:` term. `keywords --distinctive --where FILTER` prints
`keyword, key, docs_subset, docs_rest, g2, log_ratio`: the filtered articles against the rest.
`kwic` matches TERM's words as keyword extraction saw them (a possessive, a hyphen or quotes
between two words allowed, so a keyword `keywords` listed is found in its text); no occurrence
is one line `newsdesk: no occurrences of "TERM"` on stderr, exit 1.
Polars is imported only when a command reads a corpus (`--help` and `config` do without
it). Every failure is one line on stderr; a missing path exits 2; unreadable files are
skipped with `skipped PATH: reason` and the command still exits 0. Links in the folders
that lead outside the given paths are skipped so (a link to /etc/passwd is not read) unless
`--follow-links` is given (every command that takes paths, and the dashboard); paths named
on the command line are always read.
"""

from core.commands.run import Interface, main

__all__ = ["Interface", "main"]
