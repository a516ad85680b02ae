"""End-to-end tests: the real `newsdesk` command in a real terminal (tmux)."""
