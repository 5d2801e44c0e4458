"""The lifecycle: every step a commission, an item or a pre-review can take, declared once.

A step (``Step``) names its button, its precondition — the domain's own check, the very
function the domain action calls before acting, so a button shows exactly when the domain
would accept the step — its action, the state it moves to, the notifications it sends
and the documents it issues. The screens (app/views/workflow.py) bind a small form to a
step and run it in the one transaction (app/views/transaction.py); the seed, the CLI and
the tests call the same actions. Nothing else writes these facts (R-16.1).

    app/lifecycle/step.py        Step, Context, Lifecycle: the shape of a table
    app/lifecycle/commission.py  the commission's steps (Art.6–Art.9)
    app/lifecycle/item.py        a delegated item's steps (R-6)
    app/lifecycle/pre_review.py  the enquiry's pre-review and the commission it opens
    app/lifecycle/contact_change.py  a contact change the unit reported (R-17.6)
    app/lifecycle/online.py      the unit's own confirmations online, by the same steps (R-17)
"""
from __future__ import annotations

from app.lifecycle.commission import COMMISSION
from app.lifecycle.contact_change import CONTACT_CHANGE
from app.lifecycle.item import ITEM
from app.lifecycle.pre_review import PRE_REVIEW
from app.lifecycle.step import Context, Lifecycle, Step

#: target name (as in the URL /workflow/<target>/<pk>/<key>) → its lifecycle
LIFECYCLES: dict[str, Lifecycle] = {
    life.target: life for life in (COMMISSION, ITEM, PRE_REVIEW, CONTACT_CHANGE)}

__all__ = ["COMMISSION", "CONTACT_CHANGE", "Context", "ITEM", "LIFECYCLES", "Lifecycle", "PRE_REVIEW", "Step"]
