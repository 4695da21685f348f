"""The starter bank listed every right answer first, so a room learned to
tap A. The bank's file now puts them in varied places; this puts the
starter questions already installed in that order too, where an organiser
has not changed their answers (same texts). Answers keep their choice ids,
so results recorded before are untouched."""

from django.db import migrations


def reorder(apps, schema_editor):
    from fingerpost.quiz.standard import starter_questions

    Question = apps.get_model("quiz", "Question")
    Choice = apps.get_model("quiz", "Choice")
    for item in starter_questions():
        question = Question.objects.filter(starter_key=item["key"]).first()
        if question is None:
            continue
        choices = {c.text: c for c in Choice.objects.filter(question=question)}
        wanted = [text for text, _ in item["answers"]]
        if set(choices) != set(wanted) or len(choices) != len(wanted):
            continue  # edited by an organiser: theirs to order
        # Out of the way first: (question, position) is unique.
        for choice in choices.values():
            choice.position += 100
        Choice.objects.bulk_update(choices.values(), ["position"])
        for n, text in enumerate(wanted, start=1):
            choices[text].position = n
        Choice.objects.bulk_update(choices.values(), ["position"])


class Migration(migrations.Migration):
    dependencies = [("quiz", "0003_session_anonymised_at")]
    operations = [migrations.RunPython(reorder, migrations.RunPython.noop)]
