import rules

from fingerpost.accounts.rules import is_organiser, is_verified_member

# Organisers write the question bank and run live quizzes; players need no account.
rules.add_perm("quiz.manage_questions", is_organiser)
rules.add_perm("quiz.run_quiz", is_organiser)
# A team's self-assessment is its own organisation's (queries.assessments_visible_to).
rules.add_perm("quiz.assess_service", is_verified_member)
# Counts across organisations, never naming one.
rules.add_perm("quiz.compare_assessments", is_organiser)
