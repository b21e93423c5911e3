from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetlat.accounts.models import AuditEntry
from meetlat.organisations.models import ContactPoint, ReferenceMunicipality
from meetlat.organisations.norms import DEFAULT_NORMS
from meetlat.organisations.reference import BUNDLED_FILE, BUNDLED_ROW_COUNT, InputError
from meetlat.organisations.selectors import (
    calendar_for,
    norm_get_current,
    reference_municipality_get,
    reference_municipality_list,
)
from meetlat.organisations.services import (
    closing_day_add,
    employee_get_or_create,
    norm_update,
    organisation_create,
    pseudonym_hash,
    reference_municipalities_load,
)
from meetlat.organisations.validators import is_fourteen_number
from tests.conftest import Cast, client_for


@pytest.mark.django_db
def test_the_reference_list_holds_342_municipalities_after_migrating() -> None:
    municipalities = reference_municipality_list()
    assert municipalities.count() == BUNDLED_ROW_COUNT
    assert reference_municipality_get(cbs_code="GM0518").display_name == "Den Haag"  # type: ignore[union-attr]
    assert reference_municipality_get(cbs_code="GM1961").province == "Utrecht"  # type: ignore[union-attr]
    assert sum(m.inhabitants for m in municipalities) == 18_130_231


@pytest.mark.django_db
def test_loading_the_reference_list_again_changes_nothing() -> None:
    result = reference_municipalities_load(path=BUNDLED_FILE, reference_date=dt.date(2026, 1, 1))
    assert (result.rows, result.created) == (342, 0)
    assert ReferenceMunicipality.objects.count() == 342


@pytest.mark.django_db
def test_a_later_reference_date_becomes_the_current_list(tmp_path: Path) -> None:
    path = tmp_path / "2027.csv"
    path.write_text(
        "cbs_code,name,display_name,province,inhabitants\n"
        "GM0014,Groningen,Groningen,Groningen,250000\n",
        encoding="utf-8",
    )
    reference_municipalities_load(path=path, reference_date=dt.date(2027, 1, 1))
    assert [m.cbs_code for m in reference_municipality_list()] == ["GM0014"]
    assert ReferenceMunicipality.objects.filter(reference_date=dt.date(2026, 1, 1)).count() == 342


@pytest.mark.django_db
def test_a_bad_reference_file_names_line_and_field_and_loads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "cbs_code,name,display_name,province,inhabitants\n"
        "GM9990,Een,Een,Utrecht,100\n"
        "GM99,Twee,Twee,Utrecht,100\n"
        "GM9991,Drie,Drie,Friesland,-5\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        reference_municipalities_load(path=path, reference_date=dt.date(2030, 1, 1))
    problems = caught.value.problems
    assert f"{path}, line 3: field cbs_code: 'GM99' is not GM followed by four digits." in problems
    assert any("line 4: field province: 'Friesland'" in p for p in problems)
    assert any("line 4: field inhabitants: '-5'" in p for p in problems)
    assert not ReferenceMunicipality.objects.filter(reference_date=dt.date(2030, 1, 1)).exists()


@pytest.mark.django_db
def test_a_new_organisation_gets_every_default_norm_with_its_source() -> None:
    organisation = organisation_create(code="GM9811", name="Gemeente Normaal")
    norms = {n.key: n for n in organisation.norms.all()}
    assert set(norms) == {d.key for d in DEFAULT_NORMS}
    assert all(n.source.startswith("METHODOLOGY §6") for n in norms.values())
    assert str(norms["phone_service_level"].target) == "0.8000"
    assert norms["phone_service_level"].threshold == 20


@pytest.mark.django_db
def test_a_municipality_needs_a_cbs_code() -> None:
    with pytest.raises(ValidationError) as caught:
        organisation_create(code="Voorbeeld", name="Gemeente Zonder Code")
    assert "code" in caught.value.message_dict


@pytest.mark.django_db
def test_changing_a_norm_adds_a_version_and_keeps_the_old_one(cast: Cast) -> None:
    norm = norm_get_current(organisation=cast.voorbeeld, key="phone_service_level")
    assert norm is not None
    norm_update(
        norm=norm, target="0.70", threshold="30", source="Servicenormen 2027", actor=cast.anouk
    )
    current = norm_get_current(organisation=cast.voorbeeld, key="phone_service_level")
    assert current is not None and current.version == 2
    assert current.target == Decimal("0.70")
    assert cast.voorbeeld.norms.filter(key="phone_service_level").count() == 2
    entry = AuditEntry.objects.get(action="organisations.norm.changed")
    assert entry.data["before"] == "0.8000"


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("14 020", True),
        ("140594", True),
        ("14 0594", True),
        ("14 20", False),
        ("020 1234567", False),
        ("14 05941", False),
    ],
)
def test_the_14_plus_area_code_validator(number: str, ok: bool) -> None:
    assert is_fourteen_number(number) is ok


@pytest.mark.django_db
def test_a_main_number_must_be_a_14_number_and_a_group_number_dutch(cast: Cast) -> None:
    main = ContactPoint(
        organisation=cast.voorbeeld,
        name="Hoofd",
        channel="phone",
        phone_kind="main",
        address="020 123 4567",
    )
    with pytest.raises(ValidationError) as caught:
        main.full_clean()
    assert "address" in caught.value.message_dict
    group = ContactPoint(
        organisation=cast.voorbeeld,
        name="Groep",
        channel="phone",
        phone_kind="group",
        address="020-123 45 67",
    )
    group.full_clean()
    mail = ContactPoint(
        organisation=cast.voorbeeld, name="Mail", channel="email", phone_kind="main"
    )
    with pytest.raises(ValidationError):
        mail.full_clean()


@pytest.mark.django_db
def test_the_contact_point_form_shows_the_14_number_error_in_the_page(cast: Cast) -> None:
    client = client_for(cast.anouk)
    response = client.post(
        reverse("organisations:contact_point_create"),
        {
            "name": "Hoofdnummer",
            "channel": "phone",
            "phone_kind": "main",
            "address": "12345",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["address"]
    assert not ContactPoint.objects.exists()


@pytest.mark.django_db
def test_opening_hours_are_saved_per_weekday(cast: Cast) -> None:
    contact_point = ContactPoint.objects.create(
        organisation=cast.voorbeeld, name="Balie", channel="counter"
    )
    client = client_for(cast.anouk)
    data = {"opens_1": "09:00", "closes_1": "12:30", "opens_5": "09:00", "closes_5": "12:00"}
    response = client.post(
        reverse("organisations:opening_hours_edit", args=[contact_point.pk]), data
    )
    assert response.status_code == 302
    assert [(h.weekday, h.closes) for h in contact_point.opening_hours.all()] == [
        (1, dt.time(12, 30)),
        (5, dt.time(12, 0)),
    ]


@pytest.mark.django_db
def test_opening_hours_with_one_time_missing_are_refused(cast: Cast) -> None:
    contact_point = ContactPoint.objects.create(
        organisation=cast.voorbeeld, name="Balie", channel="counter"
    )
    client = client_for(cast.anouk)
    response = client.post(
        reverse("organisations:opening_hours_edit", args=[contact_point.pk]), {"opens_2": "09:00"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closes_2"]


@pytest.mark.django_db
def test_closing_days_enter_the_organisation_calendar(cast: Cast) -> None:
    closing_day_add(
        organisation=cast.voorbeeld, date=dt.date(2026, 5, 15), reason="Brugdag", actor=cast.anouk
    )
    calendar = calendar_for(organisation=cast.voorbeeld)
    assert not calendar.is_working_day(dt.date(2026, 5, 15))
    assert calendar_for(organisation=cast.anders).is_working_day(dt.date(2026, 5, 15))


@pytest.mark.django_db
def test_the_calendar_page_calculates_a_deadline(cast: Cast) -> None:
    client = client_for(cast.vera)
    response = client.get(
        reverse("organisations:calendar"), {"received": "2026-04-24T10:00", "working_days": "2"}
    )
    assert response.status_code == 200
    assert response.context["due"]["due"].date() == dt.date(2026, 4, 29)


@pytest.mark.django_db
def test_employees_and_customers_are_stored_as_salted_hashes(cast: Cast) -> None:
    employee = employee_get_or_create(organisation=cast.voorbeeld, source_id="agent-4711")
    again = employee_get_or_create(organisation=cast.voorbeeld, source_id="agent-4711")
    assert employee.pk == again.pk
    assert "4711" not in employee.pseudonym and "4711" not in employee.source_hash
    other = pseudonym_hash(organisation=cast.anders, source_id="agent-4711")
    assert other != employee.source_hash


@pytest.mark.django_db
def test_a_coach_removes_a_closing_day_on_the_calendar_page_and_it_is_audited(
    cast: Cast,
) -> None:
    day = closing_day_add(
        organisation=cast.voorbeeld, date=dt.date(2026, 5, 15), reason="Brugdag", actor=cast.anouk
    )
    other = closing_day_add(
        organisation=cast.anders, date=dt.date(2026, 5, 15), reason="Brugdag", actor=None
    )
    page = client_for(cast.anouk).get(reverse("organisations:calendar")).content.decode()
    assert f'name="remove" value="{day.pk}"' in page
    viewer_page = client_for(cast.vera).get(reverse("organisations:calendar")).content.decode()
    assert 'name="remove"' not in viewer_page
    client = client_for(cast.anouk)
    assert client.post(reverse("organisations:calendar"), {"remove": other.pk}).status_code == 404
    assert client.post(reverse("organisations:calendar"), {"remove": "x"}).status_code == 404
    response = client.post(reverse("organisations:calendar"), {"remove": day.pk})
    assert response.status_code == 302
    assert calendar_for(organisation=cast.voorbeeld).is_working_day(dt.date(2026, 5, 15))
    assert not calendar_for(organisation=cast.anders).is_working_day(dt.date(2026, 5, 15))
    entry = AuditEntry.objects.get(action="organisations.closing_day.removed")
    assert (entry.actor, entry.data["date"]) == (cast.anouk, "2026-05-15")
    assert client_for(cast.vera).post(
        reverse("organisations:calendar"), {"remove": other.pk}
    ).status_code in {403, 404}
