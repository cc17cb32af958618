"""The summaries read by the yearly review (evaluation app): action plan and meetings."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from maillage.network.models import ActionSheet, Decision, Meeting
from maillage.network.services import action_plan_summary, meetings_summary

from ..factories import ContractFactory
from .factories import ActionSheetFactory, DecisionFactory, MeetingFactory, MilestoneFactory

S = ActionSheet.Status


def at(day: date, hour: int = 14) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_action_plan_summary_lists_each_priority_in_order_with_its_actions(
    contract, priorities, organisation
):
    former, prevenir, _federer = priorities
    organisation.acronym = "SF49"
    organisation.save()
    ActionSheetFactory(
        priority=former, title="Formation primo-accueil", pilot=organisation, progress=60
    )
    late = ActionSheetFactory(priority=former, title="Formation des bars", pilot=organisation)
    MilestoneFactory(sheet=late, overdue=True)
    ActionSheetFactory(priority=prevenir, title="Guide", done=True, pilot=organisation)
    ActionSheetFactory(priority=prevenir, title="Mois pour agir", status=S.POSTPONED)
    ActionSheetFactory(
        priority=ContractFactory(territory=contract.territory).priorities.create(
            code="FORMER", title="Ancien"
        )
    )  # another contract: left out

    summary = action_plan_summary(contract)

    assert [row["priority"] for row in summary] == priorities
    first = summary[0]
    assert [a["title"] for a in first["actions"]] == [
        "Formation des bars",
        "Formation primo-accueil",
    ]
    bars, primo = first["actions"]
    assert bars["status"] == "late"
    assert bars["status_label"] == "En retard"
    assert bars["sheet"] == late
    assert primo == {
        "sheet": primo["sheet"],
        "title": "Formation primo-accueil",
        "status": "in_progress",
        "status_label": "En cours",
        "progress": 60,
        "pilot": "SF49",
    }
    assert first["by_status"]["late"] == 1
    assert first["by_status"]["in_progress"] == 1
    assert sum(first["by_status"].values()) == 2
    assert summary[1]["by_status"]["done"] == 1
    assert summary[1]["by_status"]["postponed"] == 1
    assert summary[1]["actions"][0]["progress"] == 100
    assert summary[2]["actions"] == []
    assert set(summary[2]["by_status"]) == set(S.values)


def test_a_sheet_past_its_end_date_is_late_until_done(contract, priorities):
    sheet = ActionSheetFactory(
        priority=priorities[0], ends_on=timezone.localdate() - timedelta(days=1)
    )
    assert action_plan_summary(contract)[0]["actions"][0]["status"] == "late"
    assert sheet.current_state() == "late"
    sheet.status = S.DONE
    sheet.save()
    assert action_plan_summary(contract)[0]["actions"][0]["status"] == "done"


def test_a_reached_milestone_does_not_make_a_sheet_late(contract, priorities):
    sheet = ActionSheetFactory(priority=priorities[0])
    MilestoneFactory(sheet=sheet, overdue=True, done_on=timezone.localdate())
    assert action_plan_summary(contract)[0]["actions"][0]["status"] == "in_progress"


def test_meetings_summary_counts_decisions_of_the_period(contract):
    copil = MeetingFactory(
        contract=contract, starts_at=at(date(2025, 12, 4)), status=Meeting.Status.HELD
    )
    DecisionFactory(meeting=copil, done=True)
    DecisionFactory(meeting=copil, due_on=date(2026, 1, 31))
    DecisionFactory(meeting=copil, due_on=date(2026, 6, 30), status=Decision.Status.DROPPED)
    cotech = MeetingFactory(
        contract=contract,
        kind=Meeting.Kind.COTECH,
        starts_at=at(date(2025, 3, 13)),
        status=Meeting.Status.HELD,
    )
    DecisionFactory(meeting=cotech, due_on=date(2025, 4, 1))
    MeetingFactory(contract=contract, starts_at=at(date(2025, 6, 1)), status="cancelled")
    MeetingFactory(contract=contract, starts_at=at(date(2026, 12, 10)))  # out of the period
    MeetingFactory(starts_at=at(date(2025, 5, 5)))  # another contract

    summary = meetings_summary(
        contract, date(2025, 1, 1), date(2025, 12, 31), today=date(2026, 2, 15)
    )

    assert [row["kind_label"] for row in summary["meetings"]] == ["COTECH", "COPIL"]
    assert summary["meetings"][0]["starts_at"] == cotech.starts_at
    assert summary["meetings"][1]["decisions"] == 3
    assert summary["meetings"][1]["decisions_done"] == 1
    assert summary["meetings"][0]["decisions"] == 1
    assert summary["meetings"][0]["decisions_done"] == 0
    assert summary["decisions_overdue"] == 2  # due 2025-04-01 and 2026-01-31, still open


def test_meetings_summary_of_an_empty_period(contract):
    assert meetings_summary(contract, date(2030, 1, 1), date(2030, 12, 31)) == {
        "meetings": [],
        "decisions_overdue": 0,
    }
