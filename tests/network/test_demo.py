from datetime import date

import pytest

from maillage.core.models import Contract
from maillage.network.models import ActionSheet, Decision, Meeting, Milestone, WorkingGroup
from maillage.network.services import action_plan_summary, meetings_summary


@pytest.mark.django_db
def test_the_demo_builds_the_angers_action_plan_and_meetings_once(demo):

    contract = Contract.objects.get(start_date=date(2024, 9, 27))
    summary = action_plan_summary(contract)
    assert [row["priority"].code for row in summary] == ["FORMER", "PRÉVENIR", "FÉDÉRER"]
    titles = {action["title"] for row in summary for action in row["actions"]}
    assert "Formation primo-accueil des professionnels" in titles
    assert "Diagnostic territorial" in titles
    assert all(row["actions"] for row in summary)
    assert ActionSheet.objects.count() == 9
    assert Milestone.objects.filter(sheet__title="Diagnostic territorial").count() == 1
    assert ActionSheet.objects.filter(status=ActionSheet.Status.DONE).count() == 2
    unsigned = ActionSheet.objects.exclude(pilot__signatures__contract=contract)
    assert not unsigned.exists()  # every pilot signed the contract
    assert WorkingGroup.objects.get().members.count() == 4

    copil = Meeting.objects.get(kind=Meeting.Kind.COPIL, status=Meeting.Status.HELD)
    assert copil.attending_organisations.count() == 11
    assert copil.decisions.filter(status=Decision.Status.DONE).count() == 2
    assert Meeting.objects.filter(
        kind=Meeting.Kind.COPIL,
        status=Meeting.Status.PLANNED,
        starts_at__date=date(2026, 12, 10),
    ).exists()
    assert Meeting.objects.count() == 4
    year = meetings_summary(contract, date(2025, 1, 1), date(2025, 12, 31))
    assert [row["kind_label"] for row in year["meetings"]] == ["COPIL"]
    assert demo.today > date(2026, 6, 30)
    assert Decision.objects.overdue().count() >= 1
