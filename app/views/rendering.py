"""Templates that leave no reference cycle behind (issue 16, a worker's memory).

A macro defined at a template's top level closes over the context it is rendered in, and
the context holds the macro: a reference cycle, holding everything the template was given
(the request, the signed-in user, every record of the page). Python frees a cycle only
when its garbage collector runs, not when the request ends, so a worker grew by what its
pages had loaded before the collector caught up (FAB's record widget, show.html, defines
``render_column`` so; the 督办 screen left 6,000 objects a request when FAB's macro library
was imported ``with context``). Each template here forgets its context's variables once it
is rendered, and so do the modules it imported ``with context`` while rendering (each made
for that render alone, its macros closing over a copy of the page's variables), so the
cycle is gone with the render. A module imported without the context is made once and kept
by its template: it holds only the globals and is left alone. tests/test_page_cycles.py
holds it.
"""
from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from jinja2 import Template
from jinja2.environment import TemplateModule
from jinja2.runtime import Context

#: the contexts of the modules made for the template being rendered (its imports ``with
#: context``), cleared with its own
_modules_made: ContextVar[list[Context] | None] = ContextVar("modules_made", default=None)


class CycleFreeTemplate(Template):
    """Jinja's template, its context's variables (its macros among them) and those of the
    modules it imported with them cleared after ``render``."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if self.environment.is_async:  # never here; Jinja's own way, then
            return super().render(*args, **kwargs)
        context = self.new_context(dict(*args, **kwargs))
        made: list[Context] = []
        token = _modules_made.set(made)
        try:
            return self.environment.concat(self.root_render_func(context))  # type: ignore
        except Exception:
            self.environment.handle_exception()
        finally:
            _modules_made.reset(token)
            for done in (context, *made):
                done.vars.clear()
                done.exported_vars.clear()

    def make_module(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Any = None) -> TemplateModule:
        """Jinja's module of this template; one made from a page's variables (an import
        ``with context``, or Jinja's own for a caller's extra globals) during a render is
        that render's to clear. Without variables it is the module Jinja keeps."""
        context = self.new_context(vars, shared, locals)
        made = _modules_made.get()
        if vars and made is not None:
            made.append(context)
        return TemplateModule(self, context)


def register(appbuilder: Any) -> None:
    """No view: every template the app loads from now on renders cycle-free."""
    from flask import current_app

    current_app.jinja_env.template_class = CycleFreeTemplate
