"""Fee notices name statutory fees only (R-3.1, R-8.1): the catalogue's list, never free text.

The assistance is free (无偿协办, Art.4): a 缴费通知书 may only name a fee that laws and
regulations make the unit pay, and which fees those are is data on the catalogue item
(``ApprovalItem.statutory_fees``). A "协办服务费", or any name the item does not list, is
refused in Chinese.
"""
from __future__ import annotations

from app.domain.transitions import require
from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.organisation import Department


def allowed_fees(commission: Commission | None, item: CommissionItem | None,
                 department: Department | None) -> list[str]:
    """The statutory fees a notice may name: the related item's, else those of the
    commission's items of ``department``."""
    if item is not None:
        return item.approval_item.fee_types
    names: list[str] = []
    for row in (commission.items if commission is not None else []):
        if department is None or row.approval_item.department_id == department.id:
            names += [name for name in row.approval_item.fee_types if name not in names]
    return names


def check_fee(commission: Commission | None, item: CommissionItem | None,
              department: Department | None, fee_name: str | None) -> None:
    """Refuse a fee that is not one of the catalogue's statutory fees for the notice."""
    name = (fee_name or "").strip()
    allowed = allowed_fees(commission, item, department)
    require(name in allowed, (
        f"“{name}”不是该审批事项的法定收费项目，不能开具缴费通知书：协办服务实行无偿协办，"
        "不收取任何服务费用；只能列出法律、法规规定由建设单位缴纳的费用"
        + (f"（{'、'.join(allowed)}）。" if allowed else "（该事项没有法定收费项目）。")))
