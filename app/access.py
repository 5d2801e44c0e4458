"""Who may see and handle what (R-14.1, R-14.2, R-14.3, R-14.5): being written.

The interface other modules code against:
- ``current_staff(user)``: the roster entry linked to a login account, or None;
- ``handles_commission(user, commission)``: the user works on the case (its coordinator, a
  specialist of one of its items' departments, a supervisor or administrator);
- ``can_open_confidential(user, commission)``: may open materials marked confidential.
"""
from __future__ import annotations
