import rules

from fingerpost.accounts.rules import is_admin, is_champion, is_coordinator, is_verified_member

# The queue, triage and routing are coordinators' work (admins count as coordinators).
rules.add_perm("helpdesk.triage", is_coordinator)
rules.add_perm("helpdesk.record_request", is_coordinator)
rules.add_perm("helpdesk.view_reports", is_coordinator)
rules.add_perm("helpdesk.data_protection", is_admin)
# Champions work on the requests assigned to them.
rules.add_perm("helpdesk.work_on_assigned", is_champion)
# Verified partner staff can refer a resident; an unverified account cannot.
rules.add_perm("helpdesk.refer", is_verified_member)
