"""Who may do what in lending. Lending staff are coordinators (library and
digital-inclusion staff), each for the branches they coordinate; the admin
sets the loan rules. Only lending staff see borrowers."""

import rules

from fingerpost.accounts.rules import is_admin, is_coordinator

rules.add_perm("lending.manage", is_coordinator)
rules.add_perm("lending.view_reports", is_coordinator)
rules.add_perm("lending.edit_rules", is_admin)
