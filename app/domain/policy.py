"""Time limits fixed by the policy text itself (not configuration): one place to read them."""
from __future__ import annotations

#: Art.7: the coordinator contacts the unit within 1 working day of the confirmed form.
CONTACT_WORKING_DAYS = 1
#: Art.9: materials are handed back within 1 working day of the unit's confirmation.
HANDOVER_WORKING_DAYS = 1
#: Art.9: 10 working days after the announcement the termination counts as confirmed.
ANNOUNCEMENT_WORKING_DAYS = 10
