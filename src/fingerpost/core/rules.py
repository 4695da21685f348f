import rules

from fingerpost.accounts.rules import is_admin

# The messages page shows every recipient's address and the words sent.
rules.add_perm("core.view_messages", is_admin)
rules.add_perm("core.resend_messages", is_admin)
# Subject access and erasure, over every app's personal data.
rules.add_perm("core.data_protection", is_admin)
