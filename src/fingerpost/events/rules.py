import rules

from fingerpost.accounts.rules import is_admin, is_organiser

rules.add_perm("events.manage_event", is_organiser | is_admin)
