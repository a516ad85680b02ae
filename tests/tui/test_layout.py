"""The code stays findable: a thin App (it composes, holds bindings, routes), no module of
core/ or tui/ too long to read, and the workers' messages in one module."""

from __future__ import annotations

import inspect
from pathlib import Path

from textual.message import Message

import core
import tui
from tui import messages
from tui.app import NewsdeskApp
from tui.widgets.reader import Reader

APP_MAX_LINES = 400
MODULE_MAX_LINES = 600


def test_the_app_is_thin() -> None:
    lines, _ = inspect.getsourcelines(NewsdeskApp)
    assert len(lines) <= APP_MAX_LINES


def test_no_module_of_the_engine_or_the_dashboard_is_over_the_limit() -> None:
    roots = [Path(package.__file__).parent for package in (core, tui)]
    long = {
        f"{root.name}/{path.relative_to(root)}": n
        for root in roots
        for path in root.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_MAX_LINES
    }
    assert long == {}


def test_the_apps_messages_live_in_one_module() -> None:
    nested = [name for name, value in vars(NewsdeskApp).items() if isinstance(value, type) and issubclass(value, Message)]
    assert nested == []
    defined = [value for value in vars(messages).values() if isinstance(value, type) and issubclass(value, Message) and value.__module__ == messages.__name__]
    assert len(defined) >= 10
    for message in defined:
        assert message.__doc__, message.__name__
        receiver = Reader if message is messages.BodyRead else NewsdeskApp  # the reader reads its own bodies
        assert hasattr(receiver, message.handler_name), (message.__name__, message.handler_name)
