"""OrderedInput: a text input whose key bindings run in the order the keys were typed.

Textual runs a key binding once the key has bubbled up to the app, while the focused input
already takes the keys after it: `ctrl+u` (or `up` in the filter's history, or `tab` to
complete a path) followed at once by typing (a fast typist, a paste, keys batched over SSH)
would run after that typing, and throw it away. An OrderedInput runs the bindings of its own
and of the widgets it names (`runs_in_order`) in its own turn, between the keys around them.
Printable keys are typed as usual; priority bindings and the screen's and app's bindings are
left to Textual.
"""

from __future__ import annotations

from textual import events
from textual.dom import DOMNode
from textual.widgets import Input


class OrderedInput(Input):
    """An Input whose (and whose chosen ancestors') bindings run in typing order."""

    def runs_in_order(self, node: DOMNode) -> bool:
        """Whether the bindings of `node` run in the input's turn (default: its own)."""
        return node is self

    async def _on_key(self, event: events.Key) -> None:
        if not (event.character and event.character.isprintable()):
            # As the app does with a key that bubbled up to it (`App._check_bindings`): along
            # the focus chain, with the user's keymap applied, the first binding whose action
            # runs (an Input's `up` scrolls nothing, so the bar's `up` gets its turn).
            for node, bindings in self.screen._modal_binding_chain:
                if not self.runs_in_order(node):
                    continue
                for binding in bindings.key_to_bindings.get(event.key, ()):
                    if not binding.priority and await self.app.run_action(binding.action, node):
                        event.stop()
                        event.prevent_default()
                        return
        await super()._on_key(event)
