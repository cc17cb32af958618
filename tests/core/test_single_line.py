"""Names and one-line titles refuse line breaks and control characters (they end up in email
subjects and headers), and an email whose subject got one anyway still leaves, on one line."""

import pytest
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage

from maillage.core.forms import OrganisationForm
from maillage.core.models import Organisation, Territory, User
from maillage.core.tasks import deliver, enqueue_email, send_email
from maillage.core.validators import single_line, validate_single_line

pytestmark = pytest.mark.django_db

INJECTION = "Alice\r\nBcc: x@example.org"
REFUSED = (
    "Écrivez ce texte sur une seule ligne, sans retour à la ligne, tabulation ni autre "
    "caractère de contrôle."
)


@pytest.mark.parametrize(
    "value", [INJECTION, "Alice\nMartin", "Alice\rMartin", "Ali\tce", "Al\x00ice", "Al\x85ice"]
)
def test_the_validator_refuses_line_breaks_and_control_characters(value):
    with pytest.raises(ValidationError) as error:
        validate_single_line(value)
    assert error.value.messages == [REFUSED]


def test_the_validator_accepts_ordinary_names():
    for value in ("Alice Martin-Lefèvre", "CIDFF 49 — Maine-et-Loire", "Ægir O'Brien", "Zoë"):
        validate_single_line(value)


def test_single_line_joins_the_lines():
    assert single_line("  Alice\r\nBcc: x@example.org ") == "Alice Bcc: x@example.org"
    assert single_line("Inscription\n\n\tconfirmée") == "Inscription confirmée"


# Model fields of the core app (the admin's forms and the workspace's model forms check them).


@pytest.mark.parametrize(
    "model, field",
    [
        (User, "first_name"),
        (User, "last_name"),
        (Organisation, "name"),
        (Organisation, "acronym"),
        (Territory, "name"),
        (Territory, "display_name"),
    ],
)
def test_core_name_fields_carry_the_validator(model, field):
    assert validate_single_line in model._meta.get_field(field).validators


def test_the_organisation_form_refuses_a_name_on_two_lines(territory):
    form = OrganisationForm(
        data={"name": INJECTION, "acronym": "A\nB", "kind": "association"}, territory=territory
    )
    assert not form.is_valid()
    assert form.errors["name"] == [REFUSED]
    assert form.errors["acronym"] == [REFUSED]


def test_the_organisation_page_refuses_it_and_saves_nothing(login, coordinator, territory):
    from django.urls import reverse

    response = login(coordinator).post(
        reverse("core:organisation_add"), {"name": INJECTION, "kind": "association"}
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Organisation.objects.filter(name__startswith="Alice").exists()


def test_the_admin_refuses_a_person_name_on_two_lines(login, administrator, referent):
    response = login(administrator).post(
        f"/admin/core/user/{referent.pk}/change/",
        {
            "email": referent.email,
            "first_name": INJECTION,
            "last_name": "Martin",
            "is_active": "on",
            "date_joined_0": "01/01/2025",
            "date_joined_1": "10:00:00",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )
    referent.refresh_from_db()
    assert referent.first_name != INJECTION
    assert REFUSED in response.content.decode()


# Forms of the other apps (their model fields are checked by the form).


def test_registration_forms_refuse_names_on_two_lines(referent, territory):
    from maillage.trainings.forms import SelfRegistrationForm, StaffMemberForm

    form = SelfRegistrationForm(
        data={"first_name": INJECTION, "last_name": "Martin\n", "function": "Acc\x0bueil"},
        user=referent,
        territory=territory,
    )
    assert not form.is_valid()
    assert form.errors["first_name"] == [REFUSED]
    assert form.errors["function"] == [REFUSED]
    # A line break at either end is only trimmed (nothing inside the name).
    assert "last_name" not in form.errors

    form = StaffMemberForm(
        data={
            "first_name": "Alice",
            "last_name": INJECTION,
            "email": "alice@example.org",
            "function": "Accueil\r\nX-Priority: 1",
        }
    )
    assert not form.is_valid()
    assert form.errors["last_name"] == [REFUSED]
    assert form.errors["function"] == [REFUSED]


def test_the_charter_application_refuses_a_contact_name_on_two_lines(territory):
    from maillage.trainings.charter_views import CharterApplicationForm

    form = CharterApplicationForm(
        data={"contact_name": INJECTION}, territories=Territory.objects.all()
    )
    assert not form.is_valid()
    assert form.errors["contact_name"] == [REFUSED]


def test_titles_that_make_email_subjects_refuse_line_breaks(territory):
    from maillage.directory.workspace_forms import ServiceForm
    from maillage.network.survey_forms import SurveyForm
    from maillage.prevention.material_forms import MaterialForm
    from maillage.prevention.models import Campaign
    from maillage.trainings.forms import ModuleForm

    territories = Territory.objects.all()
    forms = [
        (ServiceForm(data={"name": INJECTION}), "name"),
        (SurveyForm(data={"title": INJECTION}, territories=territories), "title"),
        (MaterialForm(data={"title": INJECTION}, campaigns=Campaign.objects.all()), "title"),
        (ModuleForm(data={"title": INJECTION}, territories=territories), "title"),
    ]
    for form, field in forms:
        assert not form.is_valid()
        assert REFUSED in form.errors[field], type(form).__name__


# The email helper: a subject built from such a name never stops the message.


def message(subject: str) -> EmailMessage:
    return EmailMessage(
        subject=subject, body="Bonjour", from_email="maillage@example.org", to=["a@example.org"]
    )


def test_a_queued_email_with_a_line_break_in_its_subject_leaves_on_one_line(mailoutbox):
    enqueue_email(message(f"[Maillage] Inscription de {INJECTION}"))

    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.subject == "[Maillage] Inscription de Alice Bcc: x@example.org"
    assert sent.bcc == []
    headers = sent.message().as_string()
    assert "\nBcc:" not in headers
    assert "Subject: [Maillage] Inscription de Alice Bcc: x@example.org\n" in headers


def test_the_task_and_deliver_clean_the_subject_too(mailoutbox):
    send_email.call(
        subject=f"Inscription : {INJECTION}",
        body="Bonjour",
        from_email="maillage@example.org",
        to=["a@example.org"],
    )
    deliver(message(f"Stock bas : {INJECTION}"))

    assert [m.subject for m in mailoutbox] == [
        "Inscription : Alice Bcc: x@example.org",
        "Stock bas : Alice Bcc: x@example.org",
    ]
