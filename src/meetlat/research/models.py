"""Mystery research: studies, waves, the municipalities of a study, scenarios, observations
and the import batches they came in (METHODOLOGY.md §2)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetlat.calc.fieldwork import PLANNED_CHANNELS, WRITTEN_CHANNELS, PlannerSettings
from meetlat.calc.observations import CHANNELS, DEFAULT_WEIGHTS, Weights
from meetlat.calc.observations import Observation as ObservationValues
from meetlat.calc.scoring import DEFAULT_CHANNEL_WEIGHTS, NORM, OTHER_CHANNEL_WEIGHT
from meetlat.organisations.models import Channel, Organisation
from meetlat.research.parsing import COLUMNS

DEFAULT_WAVE_NAME = "0-meting"
DEFAULT_QUESTIONS = {"phone": 15, "email": 5}
MAX_CALLS = 50
#: Written questions go out on different weekdays (rule 7): at most five.
MAX_WRITTEN_QUESTIONS = 5


def default_weights() -> dict[str, dict[str, float]]:
    """The aspect weights of METHODOLOGY.md §2.4."""
    return DEFAULT_WEIGHTS.as_dict()


def default_channel_weights() -> dict[str, float]:
    """v = 2 for phone, 1 for every other channel (§2.5)."""
    return {c: DEFAULT_CHANNEL_WEIGHTS.get(c, OTHER_CHANNEL_WEIGHT) for c in CHANNELS}


def default_questions() -> dict[str, int]:
    """15 phone and 5 e-mail questions per municipality (§2.1)."""
    return dict(DEFAULT_QUESTIONS)


class Study(models.Model):
    """A mystery study of one or many municipalities, run by an agency (owner) or, without
    one, by the installation itself (imports from the command line)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studies",
        verbose_name=_("run by"),
    )
    weights = models.JSONField(_("aspect weights"), default=default_weights)
    channel_weights = models.JSONField(_("channel weights"), default=default_channel_weights)
    norm = models.DecimalField(
        _("norm"), max_digits=4, decimal_places=2, default=Decimal(str(NORM))
    )
    anonymise_benchmark = models.BooleanField(_("anonymise the benchmark"), default=False)
    questions = models.JSONField(_("questions per municipality"), default=default_questions)
    max_calls_per_auditor = models.PositiveSmallIntegerField(
        _("calls per auditor per municipality"),
        default=PlannerSettings.max_calls_per_auditor,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def scoring_weights(self) -> Weights:
        return Weights.from_dict(self.weights)

    def scoring_channel_weights(self) -> dict[str, float]:
        return {str(c): float(v) for c, v in dict(self.channel_weights).items()}

    def question_counts(self) -> dict[str, int]:
        """Questions per municipality for each planned channel (channels without any left out)."""
        counts = dict(self.questions)
        return {c: int(counts[c]) for c in PLANNED_CHANNELS if int(counts.get(c, 0)) > 0}

    def clean(self) -> None:
        counts = dict(self.questions) if isinstance(self.questions, dict) else None
        if counts is None or any(c not in PLANNED_CHANNELS for c in counts):
            raise ValidationError({"questions": _("Questions are counted per planned channel.")})
        for channel, count in counts.items():
            limit = MAX_WRITTEN_QUESTIONS if channel in WRITTEN_CHANNELS else MAX_CALLS
            if not isinstance(count, int) or not 0 <= count <= limit:
                raise ValidationError(
                    {
                        "questions": _("Between 0 and %(limit)s questions per channel.")
                        % {"limit": limit}
                    }
                )


class WaveStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    FIELDWORK = "fieldwork", _("Fieldwork")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Published")


class Wave(models.Model):
    """One measurement of a study (0-meting, 1-meting …); ``order`` gives the trend's order."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"))
    seed = models.PositiveIntegerField(_("planner seed"))
    status = models.CharField(
        _("status"), max_length=16, choices=WaveStatus.choices, default=WaveStatus.FIELDWORK
    )
    fieldwork_start = models.DateField(_("fieldwork starts"), null=True, blank=True)
    fieldwork_end = models.DateField(_("fieldwork ends"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["study", "order"]
        constraints = [
            models.UniqueConstraint(fields=["study", "name"], name="unique_wave_name"),
            models.UniqueConstraint(fields=["study", "order"], name="unique_wave_order"),
        ]

    def __str__(self) -> str:
        return f"{self.study.name} {self.name}"

    def clean(self) -> None:
        start, end = self.fieldwork_start, self.fieldwork_end
        if (start is None) != (end is None):
            raise ValidationError({"fieldwork_end": _("Give both the first and the last day.")})
        if start is not None and end is not None and end < start:
            raise ValidationError(
                {"fieldwork_end": _("The last day must not be before the first day.")}
            )

    @property
    def is_published(self) -> bool:
        return self.status == WaveStatus.PUBLISHED


class StudyMunicipality(models.Model):
    """A municipality taking part in a study."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="study_participations"
    )

    class Meta:
        verbose_name = _("municipality in a study")
        verbose_name_plural = _("municipalities in a study")
        constraints = [
            models.UniqueConstraint(
                fields=["study", "organisation"], name="unique_study_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.study.name}: {self.organisation.code}"


class ScenarioStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")


class Scenario(models.Model):
    """A practice question (praktijkvraag) of one channel, with its answer key (§2.1).

    A municipality-specific scenario names its ``organisation``; a municipality viewer may
    propose one for their own municipality, which the research lead then accepts.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="scenarios")
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    national = models.BooleanField(
        _("national"),
        default=True,
        help_text=_("National scenarios are the same everywhere and carry the benchmark."),
    )
    question = models.TextField(_("question"), blank=True)
    persona = models.CharField(_("persona"), max_length=200, blank=True)
    expected_department = models.CharField(_("expected department"), max_length=200, blank=True)
    answer_key = models.JSONField(_("answer key"), default=dict, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mystery_scenarios",
        verbose_name=_("municipality"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ScenarioStatus.choices, default=ScenarioStatus.ACCEPTED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["study", "code"]
        constraints = [
            models.UniqueConstraint(fields=["study", "code"], name="unique_scenario_code")
        ]

    def __str__(self) -> str:
        return self.code


class ImportBatch(models.Model):
    """One import of an observations file: the file's name and hash, and what it added."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="import_batches")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="import_batches")
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    imported = models.PositiveIntegerField(_("imported"))
    duplicates = models.PositiveIntegerField(_("duplicates"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported}/{self.rows})"


class InOneGo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    CALLBACK = "callback", _("Callback")


class Correctness(models.TextChoices):
    CORRECT = "correct", _("Correct")
    PARTLY = "partly", _("Partly correct")
    WRONG = "wrong", _("Wrong")
    NONE = "none", _("No answer")


class Completeness(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    MORE = "more", _("Complete and more")
    PARTIAL = "partial", _("Partial")
    NONE = "none", _("None")


class YesNoNa(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NA = "na", _("Not applicable")


class Tone(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class Observation(models.Model):
    """One planned question in a wave and what the auditor recorded (DESIGN.md's CSV row).

    Empty cells are NULL. The natural key is wave, municipality, scenario, channel and
    planned_at: importing the same row again adds nothing.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="observations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="observations"
    )
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="observations")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    planned_at = models.DateTimeField(_("planned at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), null=True, blank=True)
    reached = models.BooleanField(_("reached"), null=True, blank=True)
    wait_s = models.PositiveIntegerField(_("wait (s)"), null=True, blank=True)
    transfers = models.PositiveSmallIntegerField(_("transfers"), null=True, blank=True)
    transfers_warm = models.BooleanField(_("warm transfers"), null=True, blank=True)
    reason_passed_on = models.BooleanField(_("subject passed on"), null=True, blank=True)
    callback_promised = models.BooleanField(_("callback promised"), null=True, blank=True)
    callback_kept = models.BooleanField(_("callback kept"), null=True, blank=True)
    in_one_go = models.CharField(
        _("in one go"), max_length=8, choices=InOneGo.choices, null=True, blank=True
    )
    correctness = models.CharField(
        _("correctness"), max_length=8, choices=Correctness.choices, null=True, blank=True
    )
    completeness = models.CharField(
        _("completeness"), max_length=8, choices=Completeness.choices, null=True, blank=True
    )
    introduced_name = models.CharField(
        _("introduced by name"), max_length=3, choices=YesNoNa.choices, null=True, blank=True
    )
    friendly = models.CharField(
        _("friendly"), max_length=3, choices=YesNoNa.choices, null=True, blank=True
    )
    plain_language = models.CharField(
        _("plain language"), max_length=3, choices=YesNoNa.choices, null=True, blank=True
    )
    asked_more_questions = models.CharField(
        _("asked for more questions"), max_length=3, choices=YesNoNa.choices, null=True, blank=True
    )
    recording_announced = models.CharField(
        _("recording announced"), max_length=3, choices=YesNoNa.choices, null=True, blank=True
    )
    extra_step = models.BooleanField(_("extra step"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    tone = models.CharField(_("tone"), max_length=4, choices=Tone.choices, null=True, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["wave", "organisation", "planned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "organisation", "scenario", "channel", "planned_at"],
                name="unique_observation_question",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} {self.channel} {self.planned_at:%Y-%m-%d %H:%M}"

    def as_values(self) -> ObservationValues:
        """The observation as plain data for :mod:`meetlat.calc.scoring`.

        Needs ``organisation`` and ``scenario`` loaded (``select_related``).
        """
        return ObservationValues(
            municipality=self.organisation.code,
            municipality_name=self.organisation.name,
            scenario=self.scenario.code,
            **{name: getattr(self, name) for name in OBSERVATION_FIELDS},
        )


class AssignmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class Assignment(models.Model):
    """One planned question of the fieldwork: who contacts which municipality, when, how.

    ``question`` is the key the planner knows it by (``phone-03``), unique per municipality
    in a wave; re-planning keeps the assignments that are done or skipped.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mystery_assignments"
    )
    question = models.CharField(_("question"), max_length=32)
    scenario = models.ForeignKey(
        Scenario, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    planned_at = models.DateTimeField(_("planned at"))
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mystery_assignments",
        verbose_name=_("auditor"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PLANNED,
    )
    observation = models.OneToOneField(
        "Observation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignment",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["planned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "organisation", "question"], name="unique_assignment_question"
            )
        ]
        indexes = [models.Index(fields=["auditor", "status", "planned_at"])]

    def __str__(self) -> str:
        return f"{self.question} {self.channel} {self.planned_at:%Y-%m-%d %H:%M}"


#: Manual items decided once per municipality (yes or no) and the self-assessment items of the
#: organisation (yes, partly or no), METHODOLOGY.md §3.
MANUAL_ITEMS = ("15", "20", "22")
SELF_ASSESSMENT_ITEMS = tuple(str(n) for n in range(25, 35))
ASSESSMENT_ITEMS = MANUAL_ITEMS + SELF_ASSESSMENT_ITEMS


class AssessmentValue(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class ManualAssessment(models.Model):
    """The answer to a manual item (15, 20, 22: yes or no) or a self-assessment item
    (25-34: yes, partly or no) for one municipality in one wave. No row: not answered."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="manual_assessments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("item"), max_length=3, choices=[(i, i) for i in ASSESSMENT_ITEMS])
    value = models.CharField(_("answer"), max_length=8, choices=AssessmentValue.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("manual assessment")
        verbose_name_plural = _("manual assessments")
        ordering = ["wave", "organisation", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "organisation", "item"], name="unique_manual_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"

    def clean(self) -> None:
        if self.item in MANUAL_ITEMS and self.value == AssessmentValue.PARTLY:
            raise ValidationError({"value": _("This item is answered with yes or no.")})


class FindingKind(models.TextChoices):
    IMPROVE = "improve", pgettext_lazy("finding", "Improve")
    KEEP = "keep", pgettext_lazy("finding", "Keep")


class FindingEdit(models.Model):
    """The research lead's change of one municipality's findings in a wave, kept apart from
    the automatic derivation: new wording or hidden for the finding of ``item`` decided as
    ``kind``; or, with ``item`` empty, a free-text finding of that kind."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="finding_edits")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("item"), max_length=4, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=FindingKind.choices)
    text = models.TextField(_("text"), max_length=2000, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("finding edit")
        verbose_name_plural = _("finding edits")
        ordering = ["wave", "organisation", "kind", "item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "organisation", "item", "kind"],
                condition=~models.Q(item=""),
                name="unique_finding_edit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item or '+'}"


#: The columns an Observation stores as they are in the CSV and in calc's Observation: every
#: CSV column except those naming the municipality and the scenario.
OBSERVATION_FIELDS = tuple(
    c for c in COLUMNS if c not in {"municipality", "municipality_name", "scenario"}
)
