import rules

from fingerpost.accounts.rules import is_coordinator, is_organiser

# The events back office: organisers run networking events, coordinators run the
# code clubs and drop-ins of their own organisations (queries.events_managed_by
# decides which events each may open).
rules.add_perm("events.manage_event", is_organiser | is_coordinator)
