"""The enquiry's pre-review steps (R-1.2, R-4.4): decide eligibility, open the commission."""
from __future__ import annotations

from typing import Any, Sequence

from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.choices import DelegationScope
from app.domain import intake
from app.lifecycle.step import Context, Lifecycle, Step, on_record
from app.models import ApprovalItem, Commission, PreReview
from app.states import CommissionState, PreReviewOutcome


def _decide(session: Session, review: PreReview, ctx: Context, *, outcome: Any,
            reason: str | None = None, other_channel: str | None = None) -> None:
    intake.decide_pre_review(review, PreReviewOutcome(outcome), reason=reason,
                             other_channel=other_channel)


def _open_commission(session: Session, review: PreReview, ctx: Context, *, scope: Any,
                     items: Sequence[Any] = (), intention: str | None = None) -> Commission:
    chosen = [session.get(ApprovalItem, int(pk)) for pk in (items or [])]
    return intake.open_commission(session, review, scope=DelegationScope(scope),
                                  items=[i for i in chosen if i is not None],
                                  intention=intention or None, actor=ctx.actor)


PRE_REVIEW = Lifecycle("pre_review", PreReview, (
    Step("decide", _("Decide eligibility"), on_record(intake.check_decide_pre_review), _decide),
    Step("open_commission", _("Open commission"), intake.check_open_commission,
         _open_commission, moves_to=CommissionState.pre_review, style="success"),
))
