"""Every model field that may hold personal data is reviewed in docs/personal-data.md.

The test walks the concrete fields (and many-to-many links) of every installed model and fails
when a field whose type or name suggests personal data is missing from the document's tables:
a new field holding personal data must be reviewed (purpose, who sees it, retention, erasure)
before it ships.
"""

import re
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "personal-data.md"
# Names that suggest personal data (matched on whole words of the snake_case name).
PERSONAL_NAME = re.compile(
    r"(^|_)(e?mail|email_key|phone|mobile|first_name|last_name|full_name|birth|"
    r"contact_name|contact_email|ip|ip_address|address|recipients|attendees|author|signature)"
    r"($|_)"
)
NAMED_TYPES = (models.CharField, models.TextField, models.JSONField, models.ForeignKey)
ROW = re.compile(r"^\|\s*`([\w*]+\.\w+\.\w+|\*\.\w+)`\s*\|", re.M)


def listed_fields() -> set[str]:
    return set(ROW.findall(DOCUMENT.read_text(encoding="utf-8")))


def base_model_label(model) -> str:
    """A simple-history copy (HistoricalX) answers for its model X."""
    instance_type = getattr(model, "instance_type", None)
    if model.__name__.startswith("Historical") and instance_type is not None:
        return instance_type._meta.label
    return model._meta.label


def looks_personal(field) -> bool:
    user_model = get_user_model()
    if isinstance(field, (models.EmailField, models.GenericIPAddressField)):
        return True
    if field.is_relation and field.related_model is user_model:
        return True
    if field.choices or not isinstance(field, NAMED_TYPES):
        return False
    return bool(PERSONAL_NAME.search(field.name))


def suspected_fields() -> dict[str, str]:
    """`app.Model.field` → the way it is named in the document."""
    found = {}
    for model in apps.get_models(include_auto_created=False):
        label = base_model_label(model)
        fields = list(model._meta.concrete_fields) + list(model._meta.many_to_many)
        for field in fields:
            if not looks_personal(field):
                continue
            if field.name == "history_user":
                found[f"{model._meta.label}.history_user"] = "*.history_user"
            elif model.__name__.startswith("Historical") and "_" in model.__name__:
                # The history of a many-to-many link (HistoricalMeeting_attendees): its row.
                owner, link = model.__name__.removeprefix("Historical").split("_", 1)
                found[f"{model._meta.label}.{field.name}"] = (
                    f"{model._meta.app_label}.{owner}.{link}"
                )
            else:
                name = f"{label}.{field.name}"
                found[f"{model._meta.label}.{field.name}"] = name
    return found


def test_the_document_has_a_table_of_fields():
    listed = listed_fields()

    assert "trainings.Registration.email" in listed
    assert "*.history_user" in listed
    assert len(listed) > 40


def test_every_field_that_looks_personal_is_reviewed_in_the_document():
    listed = listed_fields()

    missing = sorted(field for field, entry in suspected_fields().items() if entry not in listed)

    assert missing == [], (
        "These fields may hold personal data and are not reviewed in docs/personal-data.md "
        "(add a row: purpose, who sees it, retention, erasure): " + ", ".join(missing)
    )


def test_every_row_of_the_document_names_a_real_field():
    """A renamed or removed field leaves no stale row behind."""
    stale = []
    for entry in listed_fields():
        if entry.startswith("*."):
            continue
        app_label, model_name, field_name = entry.split(".")
        model = apps.get_model(app_label, model_name)
        names = {f.name for f in model._meta.get_fields()}
        if field_name not in names:
            stale.append(entry)

    assert stale == []


def test_the_detector_flags_the_obvious_cases():
    from maillage.core.models import Organisation, User
    from maillage.trainings.models import Registration

    assert looks_personal(User._meta.get_field("email"))
    assert looks_personal(Registration._meta.get_field("first_name"))
    assert looks_personal(Registration._meta.get_field("registered_by"))
    assert not looks_personal(Organisation._meta.get_field("name"))
    assert not looks_personal(Registration._meta.get_field("status"))
