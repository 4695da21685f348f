"""Digital champions: their profiles, training and checks, the requests they
are offered and accept, and the sessions (and so the hours) they give.

No resident's personal data lives here: a session's note goes on the help
desk's timeline, which the help desk anonymises with the request."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fingerpost.core.free_times import Day, availability_choices, slots_mask


class Skill(models.TextChoices):
    # The five essential digital skills areas...
    COMMUNICATING = "communicating", _("Communicating")
    HANDLING_INFORMATION = "handling_information", _("Handling information and content")
    TRANSACTING = "transacting", _("Transacting")
    PROBLEM_SOLVING = "problem_solving", _("Problem solving")
    BEING_SAFE = "being_safe", _("Being safe and legal online")
    # ...and the topics residents most often ask about.
    DEVICES = "devices", _("Phones, tablets and computers")
    BENEFITS_FORMS = "benefits_forms", _("Benefits and other online forms")
    GP_NHS_APPS = "gp_nhs_apps", _("GP and NHS apps")
    VIDEO_CALLS = "video_calls", _("Video calls")


SKILL_AREAS = [
    Skill.COMMUNICATING,
    Skill.HANDLING_INFORMATION,
    Skill.TRANSACTING,
    Skill.PROBLEM_SOLVING,
    Skill.BEING_SAFE,
]


class Way(models.TextChoices):
    LIBRARY = "library", _("At a library or community venue")
    HOME = "home", _("At home")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


def bits_of(values: list[str], choices: list[str]) -> int:
    """Values as the bits of one integer, bit n for choices[n]; for slots
    ("mon_morning") the day counts."""
    mask = 0
    for value in values:
        for key in (value, value.split("_", 1)[0]):
            if key in choices:
                mask |= 1 << choices.index(key)
                break
    return mask


class ChampionProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="champion_profile"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="champion_profiles",
    )
    skills = models.JSONField(default=list, blank=True)
    languages = models.CharField(_("languages other than English"), max_length=200, blank=True)
    areas = models.ManyToManyField("organisations.Area", blank=True, related_name="champions")
    ways = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)
    # What matching reads, kept in step with the lists above on every save
    # (`keep_bits`): skills, ways and free days as bit masks, so ranking
    # reads plain integers rather than decoding JSON for every champion.
    skill_bits = models.PositiveIntegerField(default=0, editable=False)
    way_bits = models.PositiveIntegerField(default=0, editable=False)
    day_bits = models.PositiveIntegerField(default=0, editable=False)
    # Free slots (day and part of the day, `core.free_times`), to AND with
    # the times a resident gave.
    slot_bits = models.PositiveIntegerField(default=0, editable=False)
    # The areas served as sorted ids ("3,7,12"), kept by `keep_area_ids`
    # whenever the links change, so matching reads one column, not the links.
    area_ids = models.CharField(max_length=1000, blank=True, default="", editable=False)
    max_active = models.PositiveSmallIntegerField(_("most requests at once"), default=3)
    paused = models.BooleanField(_("paused"), default=False)
    paused_note = models.CharField(max_length=200, blank=True)
    # The latest expiry of any background or safeguarding check, kept by the
    # services whenever a check is recorded, so matching reads one column.
    check_expires_on = models.DateField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_active__gte=1, max_active__lte=20),
                name="champion_limit_in_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.keep_bits()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "skill_bits",
                "way_bits",
                "day_bits",
                "slot_bits",
            }
        super().save(*args, **kwargs)

    def keep_bits(self) -> "ChampionProfile":
        """Set the bit fields from the lists (bulk creation calls it itself)."""
        self.skill_bits = bits_of(list(self.skills), list(Skill.values))
        self.way_bits = bits_of(list(self.ways), list(Way.values))
        self.day_bits = bits_of(list(self.availability), list(Day.values))
        self.slot_bits = slots_mask(self.availability)
        return self

    def skill_labels(self) -> list[str]:
        labels = dict(Skill.choices)
        return [str(labels.get(s, s)) for s in self.skills]

    def way_labels(self) -> list[str]:
        labels = dict(Way.choices)
        return [str(labels.get(w, w)) for w in self.ways]

    def availability_labels(self) -> list[str]:
        labels = dict(availability_choices())
        return [labels.get(s, s) for s in self.availability]


def area_ids_text(ids: Any) -> str:
    return ",".join(str(i) for i in sorted(set(ids)))


def keep_area_ids(profile_ids: Any) -> None:
    """Set `area_ids` of these profiles from their area links (the m2m
    signal calls it; bulk loads that write the links call it themselves)."""
    profile_ids = list(profile_ids)
    through = ChampionProfile.areas.through
    for start in range(0, len(profile_ids), 500):
        chunk = profile_ids[start : start + 500]
        linked: dict[int, list[int]] = {pk: [] for pk in chunk}
        for profile_id, area_id in through.objects.filter(championprofile_id__in=chunk).values_list(
            "championprofile_id", "area_id"
        ):
            linked[profile_id].append(area_id)
        ChampionProfile.objects.bulk_update(
            [ChampionProfile(pk=pk, area_ids=area_ids_text(ids)) for pk, ids in linked.items()],
            ["area_ids"],
        )


class TrainingRecord(models.Model):
    profile = models.ForeignKey(ChampionProfile, on_delete=models.CASCADE, related_name="training")
    course = models.CharField(max_length=200)
    completed_on = models.DateField()
    provider = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on})"


class CheckKind(models.TextChoices):
    DBS_BASIC = "dbs_basic", _("Basic DBS check")
    DBS_ENHANCED = "dbs_enhanced", _("Enhanced DBS check")
    SAFEGUARDING = "safeguarding", _("Safeguarding training")


class BackgroundCheck(models.Model):
    profile = models.ForeignKey(ChampionProfile, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=20, choices=CheckKind.choices)
    checked_on = models.DateField()
    expires_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-expires_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("checked_on")), name="check_expires_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.expires_on}"


class AssignmentState(models.TextChoices):
    OFFERED = "offered", _("Waiting for the champion's answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


LIVE_STATES = [AssignmentState.OFFERED, AssignmentState.ACCEPTED]


class Assignment(models.Model):
    """A request offered to a champion, and their answer."""

    help_request = models.ForeignKey(
        "helpdesk.HelpRequest", on_delete=models.CASCADE, related_name="champion_assignments"
    )
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="champion_assignments"
    )
    state = models.CharField(
        max_length=10, choices=AssignmentState.choices, default=AssignmentState.OFFERED
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    # The next session the champion has arranged, for their workspace.
    next_session_on = models.DateField(null=True, blank=True)
    # Set when the champion was reminded that no session has been logged.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["help_request"],
                condition=Q(state__in=["offered", "accepted"]),
                name="one_live_assignment_per_request",
            )
        ]
        indexes = [models.Index(fields=["champion", "state"], name="assignment_champion")]

    def __str__(self) -> str:
        return f"{self.help_request_id} to {self.champion_id} ({self.state})"


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class Confidence(models.IntegerChoices):
    NOT_AT_ALL = 1, _("Not at all confident")
    A_LITTLE = 2, _("A little confident")
    FAIRLY = 3, _("Fairly confident")
    VERY = 4, _("Very confident")


class HelpSession(models.Model):
    """One session a champion gave. Kept for the hours when the request's
    personal details are removed (nothing here names the resident)."""

    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_sessions"
    )
    # The host organisation when the session was given, for hours by organisation.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    help_request = models.ForeignKey(
        "helpdesk.HelpRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="champion_sessions",
    )
    given_on = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=10, choices=SessionMode.choices)
    skills = models.JSONField(default=list, blank=True)
    another_wanted = models.BooleanField(default=False)
    confidence_before = models.PositiveSmallIntegerField(choices=Confidence.choices)
    confidence_after = models.PositiveSmallIntegerField(choices=Confidence.choices)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=600), name="session_length_in_range"
            ),
        ]
        indexes = [
            models.Index(fields=["champion", "given_on"], name="session_champion"),
            models.Index(fields=["given_on"], name="session_day"),
        ]

    def __str__(self) -> str:
        return f"{self.given_on}: {self.minutes} min"

    def skill_labels(self) -> list[str]:
        labels = dict(Skill.choices)
        return [str(labels.get(s, s)) for s in self.skills]


class InterestStatus(models.TextChoices):
    NEW = "new", _("New")
    INVITED = "invited", _("Invited")
    NOT_TAKEN_FORWARD = "declined", _("Not taken forward")


class Interest(models.Model):
    """Someone who would like to volunteer, from the public question pages."""

    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    postcode_or_town = models.CharField(max_length=100)
    area = models.ForeignKey(
        "organisations.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    skills = models.JSONField(default=list, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    ways = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)
    why = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=InterestStatus.choices, default=InterestStatus.NEW
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"], name="interest_queue")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    def skill_labels(self) -> list[str]:
        labels = dict(Skill.choices)
        return [str(labels.get(s, s)) for s in self.skills]

    def way_labels(self) -> list[str]:
        labels = dict(Way.choices)
        return [str(labels.get(w, w)) for w in self.ways]

    def availability_labels(self) -> list[str]:
        labels = dict(availability_choices())
        return [labels.get(s, s) for s in self.availability]
