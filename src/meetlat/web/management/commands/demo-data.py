"""`meetlat demo-data`: load the demo (fictional organisations and users); idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meetlat.web.demo import DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Load the demo: fictional municipalities, users for every role, contact points."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load()
        self.stdout.write(
            f"Demo loaded: {result.organisations} organisations, {result.users} users."
        )
        self.stdout.write(f"Demo logins (fictional people; password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<18} {spec.role.label} ({spec.organisation})")
