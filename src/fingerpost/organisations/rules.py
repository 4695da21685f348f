import rules

from fingerpost.accounts.rules import is_admin, is_organiser

rules.add_perm("organisations.view_people", is_organiser | is_admin)
# Who works where is visible to signed-in partner staff, not to the public.
rules.add_perm("organisations.view_members", rules.is_authenticated)
