"""一次性告知书: the lines of a one-time notice, checked and written in one place (R-6.5).

The notice lists every missing or insufficient material at once, each for one delegated
item of the commission: a material of that item's checklist (申报材料清单, the catalogue's
``ItemMaterial``), or one named in free text when the checklist has no such entry. The
notice's screen (app/views/notice_form.py: the notice and all its lines on one form) and the
demo seed write lines only through ``set_lines``, after ``check_lines``; the supplement step
reads the newest notice's lines for its message to the unit (app/domain/approvals.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _

from app.choices import MaterialProblem
from app.models import CommissionItem, ItemMaterial, MaterialNotice, MaterialNoticeLine

#: the longest material name a line keeps (the column's length)
NAME_MAX = 200

NO_LINES = _("List at least one missing or insufficient material.")
NOT_THIS_COMMISSION = _("The item does not belong to the notice's commission.")
NOT_ON_CHECKLIST = _("The material is not on the checklist of this approval item.")
NO_NAME = _("Choose a material from the checklist or type its name.")
TWICE = _("This material is listed twice for the same item.")
TOO_LONG = _("The material's name is too long (at most 200 characters).")


@dataclass
class Line:
    """One line as entered: the item, a checklist material or none, the name, the problem."""

    commission_item: CommissionItem | None
    material: ItemMaterial | None
    material_name: str
    problem: MaterialProblem | None
    note: str | None = None
    #: the stored line this one edits (None: a new line)
    id: int | None = None

    @property
    def name(self) -> str:
        """The material's name: as typed, else the checklist's."""
        typed = (self.material_name or "").strip()
        return typed or (self.material.name if self.material is not None else "")


def check_lines(commission: Any, lines: list[Line]) -> dict[int, Any]:
    """The problems of ``lines`` on a notice of ``commission``, by line index (-1: the
    notice as a whole); empty when they may be written."""
    if not lines:
        return {-1: NO_LINES}
    problems: dict[int, Any] = {}
    seen: set[tuple[int, str]] = set()
    for index, line in enumerate(lines):
        item = line.commission_item
        if item is None or line.problem is None:
            problems[index] = _("Choose the item and what is wrong with the material.")
        elif commission is not None and item.commission_id != commission.id:
            problems[index] = NOT_THIS_COMMISSION
        elif line.material is not None and \
                line.material.approval_item_id != item.approval_item_id:
            problems[index] = NOT_ON_CHECKLIST
        elif not line.name:
            problems[index] = NO_NAME
        elif len(line.name) > NAME_MAX:
            problems[index] = TOO_LONG
        elif (item.id, line.name) in seen:
            problems[index] = TWICE
        if item is not None:
            seen.add((item.id, line.name))
    return problems


def set_lines(notice: MaterialNotice, lines: list[Line]) -> None:
    """Make ``notice``'s lines those of ``lines`` (checked by ``check_lines``): a line with
    the id of a stored one updates it, the others are added, stored lines not named go."""
    stored = {line.id: line for line in notice.lines if line.id is not None}
    kept: list[MaterialNoticeLine] = []
    for line in lines:
        row = stored.get(line.id) if line.id is not None else None
        if row is None:
            row = MaterialNoticeLine()
        row.commission_item = line.commission_item
        row.material = line.material
        row.material_name = line.name
        row.problem = line.problem
        row.note = (line.note or "").strip() or None
        kept.append(row)
    notice.lines = kept  # delete-orphan: the lines left out are deleted
