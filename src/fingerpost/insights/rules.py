import rules

from fingerpost.accounts.rules import is_coordinator, is_organiser

# Coordinators and organisers see their organisations' figures; admins
# (who count as both) see the whole partnership's.
rules.add_perm("insights.view_dashboard", is_coordinator | is_organiser)
