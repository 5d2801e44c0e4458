"""Templates that leave no reference cycle behind (issue 16, a worker's memory).

A macro defined at a template's top level closes over the context it is rendered in, and
the context holds the macro: a reference cycle, holding everything the template was given
(the request, the signed-in user, every record of the page). Python frees a cycle only
when its garbage collector runs, not when the request ends, so a worker grew by what its
pages had loaded before the collector caught up (FAB's record widget, show.html, defines
``render_column`` so; the 督办 screen left 6,000 objects a request when FAB's macro library
was imported ``with context``). Each template here forgets its context's variables once it
is rendered, so the cycle is gone with the render. tests/test_page_cycles.py holds it.
"""
from __future__ import annotations

from typing import Any

from jinja2 import Template


class CycleFreeTemplate(Template):
    """Jinja's template, its context's variables (its macros among them) cleared after
    ``render``."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if self.environment.is_async:  # never here; Jinja's own way, then
            return super().render(*args, **kwargs)
        context = self.new_context(dict(*args, **kwargs))
        try:
            return self.environment.concat(self.root_render_func(context))  # type: ignore
        except Exception:
            self.environment.handle_exception()
        finally:
            context.vars.clear()
            context.exported_vars.clear()


def register(appbuilder: Any) -> None:
    """No view: every template the app loads from now on renders cycle-free."""
    from flask import current_app

    current_app.jinja_env.template_class = CycleFreeTemplate
