import rules

from fingerpost.accounts.rules import is_admin, is_coordinator, is_organiser, is_verified_member

rules.add_perm("organisations.view_people", is_organiser | is_admin)
# Who works where is visible to verified partner staff, not to the public
# nor to someone whose membership is not yet verified.
rules.add_perm("organisations.view_members", is_verified_member)
# Approving who joins: coordinators (for their own organisations) and admins.
rules.add_perm("organisations.approve_members", is_coordinator | is_admin)
