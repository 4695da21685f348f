"""The starter bank: at least two questions on each of the 14 points, so
every installation can run a quiz at once. Organisers edit them like any other."""

from django.db import migrations


def load(apps, schema_editor):
    from fingerpost.quiz.standard import starter_questions

    Question = apps.get_model("quiz", "Question")
    Choice = apps.get_model("quiz", "Choice")
    for item in starter_questions():
        question, created = Question.objects.get_or_create(
            starter_key=item["key"],
            defaults={"text": item["text"], "point": item["point"], "explanation": item["explanation"]},
        )
        if created:
            Choice.objects.bulk_create(
                Choice(question=question, position=n, text=text, is_correct=correct)
                for n, (text, correct) in enumerate(item["answers"], start=1)
            )


def unload(apps, schema_editor):
    Question = apps.get_model("quiz", "Question")
    Question.objects.exclude(starter_key="").filter(archived=False).delete()


class Migration(migrations.Migration):
    dependencies = [("quiz", "0001_bank_quizzes_sessions_assessments")]
    operations = [migrations.RunPython(load, unload)]
