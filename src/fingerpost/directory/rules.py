import rules

from fingerpost.accounts.rules import is_coordinator

# Coordinators keep their own organisations' locations current (admins count
# as coordinators); which locations is decided by queries.locations_managed_by.
rules.add_perm("directory.manage_locations", is_coordinator)
