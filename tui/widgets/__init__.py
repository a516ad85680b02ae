"""The panes of the newsdesk app, one widget per module."""
