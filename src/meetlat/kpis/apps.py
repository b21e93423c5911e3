from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "meetlat.kpis"
    label = "kpis"
    verbose_name = _("KPIs")

    def ready(self) -> None:
        from meetlat.kpis.receivers import rollups_refresh_on_commit
        from meetlat.organisations.signals import settings_changed

        settings_changed.connect(rollups_refresh_on_commit, dispatch_uid="kpis.rollups_refresh")
