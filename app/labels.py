"""The base for every enumerated value: a `str` enum whose members carry a translatable label.

Values are stable English codes stored in the database; labels are what users see
(Chinese by default, English selectable). `str(member)` gives the label, so FAB's list
and show pages print Chinese without a formatter per column.
"""
from __future__ import annotations

import enum

import sqlalchemy as sa
from app.i18n import lazy


class LabelledEnum(str, enum.Enum):
    """A str enum whose members are declared as ``name = ("code", _("Label"))`` (``_``: app.i18n.lazy)."""

    def __new__(cls, value: str, label: object) -> "LabelledEnum":
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label  # type: ignore[attr-defined]
        return obj

    def __str__(self) -> str:
        return str(self.label)  # type: ignore[attr-defined]

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        """(code, label) pairs for select fields."""
        return [(m.value, m.label) for m in cls]  # type: ignore[attr-defined]


def enum_column_type(enum_cls: type[LabelledEnum], name: str) -> sa.Enum:
    """A portable column type for ``enum_cls``: VARCHAR plus a named CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda e: [m.value for m in e],
        length=max(len(m.value) for m in enum_cls),
    )


_ = lazy
