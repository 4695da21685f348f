import rules

from fingerpost.accounts.rules import is_admin, is_champion, is_coordinator

# The queue, triage and routing are coordinators' work (and admins').
rules.add_perm("helpdesk.triage", is_coordinator | is_admin)
rules.add_perm("helpdesk.record_request", is_coordinator | is_admin)
rules.add_perm("helpdesk.view_reports", is_coordinator | is_admin)
rules.add_perm("helpdesk.data_protection", is_admin)
# Champions work on the requests assigned to them.
rules.add_perm("helpdesk.work_on_assigned", is_champion)
# Any signed-in partner staff can refer a resident.
rules.add_perm("helpdesk.refer", rules.is_authenticated & rules.is_active)
