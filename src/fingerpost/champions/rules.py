import rules

from fingerpost.accounts.rules import is_champion, is_coordinator

# Champions work in their own workspace; coordinators (admins count as
# coordinators) review offers to volunteer, keep profiles and checks, match
# requests to champions and see everyone's hours.
rules.add_perm("champions.work_as_champion", is_champion)
rules.add_perm("champions.coordinate", is_coordinator)
rules.add_perm("champions.view_hours", is_champion | is_coordinator)
