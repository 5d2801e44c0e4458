"""Flask-AppBuilder's own UI strings that FAB's Chinese catalogue leaves untranslated.

FAB 5.3 ships a zh catalogue that lacks some of its own strings (the Add / Edit / Show /
Delete buttons, some filter operators, the group screens, ...) and marks others fuzzy, which
compiles them out. Flask-Babel loads FAB's catalogue first and ours after it, so a msgid in
ours overrides FAB's; listing the missing ones here, wrapped in ``lazy_gettext``, makes
``scripts/i18n.py extract`` put them into app/translations/zh/LC_MESSAGES/messages.po, where
they are translated like our own strings.

Nothing imports this module at run time: it exists for extraction. The list was compiled by
extracting every msgid from FAB's python files and templates and keeping those FAB's compiled
zh catalogue does not translate; tests/test_translations.py repeats that comparison, so a FAB
upgrade that adds strings fails the test until they are added here.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _

FAB_STRINGS = [
    # templates/appbuilder/general/lib.html: the record buttons on every list and show page
    _("Add"),
    _("Edit"),
    _("Show"),
    _("Delete"),
    _("Are you sure you want to delete this item?"),
    # filter operators (models/sqla/filters.py, models/generic/filters.py)
    _("In"),
    _("Not In"),
    _("Contains (insensitive)"),
    _("Start with"),  # fuzzy in FAB's catalogue, so compiled out
    # form field errors (fields.py; fuzzy in FAB's catalogue) and the generic database error
    _("Not a valid choice"),
    _("Database Error"),
    # security screens: users, roles, groups (security/views.py, security/forms.py)
    _("List Groups"),
    _("Groups"),
    _("Show Group"),
    _("Add Group"),
    _("Edit Group"),
    _("Either select a role or a group"),
    _("Edit User Information"),
    _("User information changed"),
    _("The user's password for authentication"),
    _("It's not a good policy to remove a user, just make it inactive"),
    _("The user group on the application, this will associate with a list of roles "
      "associated with the group"),
    _("User(s) exists in the role, cannot delete"),
    _("User(s) exists in the group, cannot delete"),
    # validators.py: the password complexity rule's message
    _("Must have at least two capital letters, one special character, two digits, three "
      "lower case letters and a minimal length of 10."),
    # the user form's descriptions: FAB's Chinese names LDAP and OID, which this app does not
    # use (database logins only)
    _("Username valid for authentication on DB or LDAP, unused for OID auth"),
    _("The user's email, this will also be used for OID auth"),
    # login pages for OAuth / SAML providers
    _("Sign In with "),
]
