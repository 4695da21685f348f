"""Anonymous results of the skills check: where (the area, if given) and, for
each part of the framework, how many tasks the person cannot yet do alone.
Nothing that identifies anyone is kept."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SkillsCheckResult(models.Model):
    area = models.ForeignKey(
        "organisations.Area",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Tasks in each part the person cannot yet do on their own (0 = can do them all).
    gaps_foundation = models.PositiveSmallIntegerField(_("the basics: still to learn"))
    gaps_communicating = models.PositiveSmallIntegerField(_("communicating: still to learn"))
    gaps_handling_information = models.PositiveSmallIntegerField(
        _("handling information: still to learn")
    )
    gaps_transacting = models.PositiveSmallIntegerField(_("transacting: still to learn"))
    gaps_problem_solving = models.PositiveSmallIntegerField(_("problem solving: still to learn"))
    gaps_safe_and_legal = models.PositiveSmallIntegerField(_("being safe: still to learn"))
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["completed_at"], name="skills_result_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(gaps_foundation__lte=20)
                & Q(gaps_communicating__lte=20)
                & Q(gaps_handling_information__lte=20)
                & Q(gaps_transacting__lte=20)
                & Q(gaps_problem_solving__lte=20)
                & Q(gaps_safe_and_legal__lte=20),
                name="skills_gaps_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Skills check {self.completed_at:%Y-%m-%d %H:%M}"

    def gaps(self, area_key: str) -> int:
        value: int = getattr(self, f"gaps_{area_key}")
        return value
