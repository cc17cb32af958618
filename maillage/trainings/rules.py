"""Who may do what with the trainings (django-rules, loaded by AutodiscoverRulesConfig).

- The coordination of a territory manages its modules and sessions (obj: a territory, a
  module, a session or a registration: each answers `territory_id`).
- A trainer sees the sessions they give, with the people registered.
- A referent registers staff of their organisation, sees and cancels their registrations.
- A professional (anyone with a role in an organisation) registers themself and cancels.
"""

import rules

from maillage.core.rules import is_administrator, is_coordinator_of, is_referent_of

from .models import normalise_email

manages_trainings = is_administrator | is_coordinator_of


@rules.predicate
def trains_session(user, session) -> bool:
    if not user.is_authenticated or session is None:
        return False
    return session.trainers.filter(pk=user.pk).exists()


@rules.predicate
def trains_session_of(user, registration) -> bool:
    return registration is not None and trains_session(user, registration.session)


@rules.predicate
def is_the_registrant(user, registration) -> bool:
    if not user.is_authenticated or registration is None:
        return False
    return registration.user_id == user.pk or (
        registration.email_key != "" and registration.email_key == normalise_email(user.email)
    )


@rules.predicate
def is_referent_of_registrant(user, registration) -> bool:
    return registration is not None and is_referent_of(user, registration.organisation)


@rules.predicate
def has_organisation_role(user) -> bool:
    return user.is_authenticated and user.roles.exclude(organisation=None).exists()


rules.add_perm("trainings.manage", manages_trainings)
rules.add_perm("trainings.view_session", manages_trainings | trains_session)
rules.add_perm(
    "trainings.view_registration",
    manages_trainings | trains_session_of | is_the_registrant | is_referent_of_registrant,
)
rules.add_perm(
    "trainings.cancel_registration",
    manages_trainings | is_the_registrant | is_referent_of_registrant,
)
# obj: the organisation the staff belong to.
rules.add_perm("trainings.register_staff", manages_trainings | is_referent_of)
rules.add_perm("trainings.register_self", has_organisation_role)
# obj: a session. The trainers of the session and the coordination mark attendance, print the
# attendance sheets, keep the signed ones and read the evaluation of the session.
rules.add_perm("trainings.mark_attendance", manages_trainings | trains_session)
