"""`meetlat org add CODE --name N [--kind municipality|service-centre|agency]`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from meetlat.commandline import bad_input
from meetlat.organisations.models import OrganisationKind
from meetlat.organisations.selectors import organisation_get
from meetlat.organisations.services import organisation_create


class Command(BaseCommand):
    help = "Manage organisations (tenants)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        add = sub.add_parser("add", help="create an organisation")
        add.add_argument("code", help="CBS code for municipalities (GM0505), else a short code")
        add.add_argument("--name", required=True, help="the organisation's name")
        add.add_argument(
            "--kind",
            choices=[k.value for k in OrganisationKind],
            default=OrganisationKind.MUNICIPALITY.value,
        )
        add.add_argument("--demo", action="store_true", help="mark as a demo organisation")

    def handle(self, *args: Any, **options: Any) -> None:
        code, name = options["code"].strip(), options["name"].strip()
        existing = organisation_get(code=code)
        if existing is not None:
            if existing.name != name or existing.kind != options["kind"]:
                bad_input(
                    f"code {code!r}: already used by {existing.name!r} ({existing.kind}); "
                    "choose another code."
                )
            self.stdout.write(f"Organisation {code} ({name}) already exists; nothing changed.")
            return
        try:
            organisation = organisation_create(
                code=code, name=name, kind=options["kind"], is_demo=options["demo"]
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()
            )
            bad_input(f"Cannot create organisation {code!r}: {problems}")
        self.stdout.write(f"Created {organisation.get_kind_display()} {code} ({name}).")
