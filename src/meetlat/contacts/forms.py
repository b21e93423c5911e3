"""Forms of the contact import pages: upload (file, format, mapping) and the import options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meetlat.contacts.importers.csv.mapping import ColumnMapping, MappingError, mapping_load
from meetlat.contacts.uploads import is_sha256
from meetlat.web.forms import UtrechtFormMixin

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    Upload = UploadedFile[bytes]
DEFAULT_ZONE: Final = "Europe/Amsterdam"
FORMAT_CHOICES: Final = [
    ("csv", _("CSV (canonical columns, or another layout with a mapping)")),
    ("asterisk", _("Asterisk queue_log")),
    ("eml", _("E-mail: one .eml message, or a ZIP file of .eml messages")),
    ("mbox", _("E-mail: an mbox file")),
    ("chat-json", _("Chat, WhatsApp or social media conversations (JSON)")),
]
MAIL_FORMATS: Final = ("eml", "mbox")


class ImportOptionsForm(UtrechtFormMixin, forms.Form):
    """How to read a stored file; carried from the upload to the preview and the commit."""

    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="csv")
    tz = forms.CharField(
        label=_("Time zone"),
        initial=DEFAULT_ZONE,
        max_length=64,
        help_text=_("Start times without an offset are read in this zone."),
    )
    contact_point = forms.CharField(
        label=_("Contact point"),
        required=False,
        max_length=100,
        help_text=_("For rows that name no contact point."),
    )
    source = forms.CharField(
        label=_("Source system"),
        required=False,
        max_length=100,
        help_text=_("Contact ids are unique per source; empty means the format."),
    )
    own_domains = forms.CharField(
        label=_("Own e-mail domains"),
        required=False,
        max_length=500,
        help_text=_(
            "E-mail only: the domains of your organisation, separated by commas (e.g. "
            "gemeente.nl), to tell incoming from outgoing messages. Empty: the domains of your "
            "e-mail contact points."
        ),
    )
    name = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
    mapping = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_tz(self) -> str:
        value: str = self.cleaned_data["tz"].strip()
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(
                _("This is not a known time zone (e.g. Europe/Amsterdam).")
            ) from None
        return value

    def clean_mapping(self) -> str:
        value: str = self.cleaned_data["mapping"]
        if value and not is_sha256(value):
            raise forms.ValidationError(_("This is not a stored mapping."))
        return value

    def clean_own_domains(self) -> str:
        value: str = self.cleaned_data["own_domains"]
        return ", ".join(d for d in (p.strip().lower() for p in value.split(",")) if d)

    def domains(self) -> list[str]:
        """The own domains given, for the e-mail formats only."""
        if self.cleaned_data["format"] not in MAIL_FORMATS:
            return []
        return [d for d in self.cleaned_data["own_domains"].split(", ") if d]

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.cleaned_data["tz"])


class ImportUploadForm(ImportOptionsForm):
    """The first step: the file, its format and (for another CSV layout) a mapping file."""

    file = forms.FileField(label=_("File"))
    mapping_file = forms.FileField(
        label=_("Mapping (TOML)"),
        required=False,
        help_text=_("Only for a CSV in another layout; see docs/import-mappings.md."),
    )
    field_order = [
        "file",
        "format",
        "mapping_file",
        "own_domains",
        "tz",
        "contact_point",
        "source",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["name"], self.fields["mapping"]  # set from the upload, not the form
        self.parsed_mapping: ColumnMapping | None = None

    def clean_file(self) -> Upload:
        upload: Upload = self.cleaned_data["file"]
        if (upload.size or 0) > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": settings.MAX_UPLOAD_MB}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload: Upload | None = cleaned.get("mapping_file")
        if upload is None:
            return cleaned
        if cleaned.get("format") != "csv":
            self.add_error("mapping_file", _("A mapping applies to the CSV format only."))
            return cleaned
        try:
            self.parsed_mapping = mapping_load(read_upload(upload))
        except MappingError as error:
            self.add_error("mapping_file", error.describe(upload.name or "mapping"))
        return cleaned


def read_upload(upload: Upload) -> bytes:
    upload.seek(0)
    return b"".join(upload.chunks())
