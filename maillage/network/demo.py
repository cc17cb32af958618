"""Network demo for Angers (contract 2024-2026): the action plan by priority (former, prévenir,
fédérer) with pilots among the signatories, milestones and follow-up notes; a working group;
the COPIL of December 2025 with its decisions (some done, one overdue), COTECHs, and the next
COPIL planned on 10 December 2026.

Built through the same service functions as the application. Idempotent: a sheet is found
again by its priority and title, a milestone by its sheet and title, a note by its sheet and
date, a meeting by its contract, instance and date, a decision by its meeting and text.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from maillage.core.models import Contract, Organisation, Territory, User

from .models import ActionSheet, Decision, FollowUpNote, Meeting, Milestone, WorkingGroup
from .services import add_note, save_decision, save_meeting, save_milestone, save_sheet
from .survey_demo import load_survey_demo

S = ActionSheet.Status
G = ActionSheet.Governance
ALM = "Angers Loire Métropole"
VILLE = "Ville d'Angers"
CIDFF = "Centre d'information sur les droits des femmes et des familles de Maine-et-Loire"
SF49 = "Solidarité Femmes 49"
FV49 = "France Victimes 49"
PREFECTURE = "Préfecture de Maine-et-Loire"
PARQUET = "Parquet du tribunal judiciaire d'Angers"
UNIVERSITY = "Université d'Angers"
CHU = "Centre hospitalier universitaire d'Angers"
CAF = "Caisse d'allocations familiales de Maine-et-Loire"
DSDEN = "Services départementaux de l'Éducation nationale de Maine-et-Loire"
DDSP = "Direction départementale de la sécurité publique de Maine-et-Loire"
NIGHT_GROUP = "Vie nocturne et espaces festifs"

# priority code, title, pilot, partners, funders, status, progress, start, end, fields,
# milestones (title, due, done), notes (date, text)
SHEETS = [
    (
        "FORMER", "Formation primo-accueil des professionnels", CIDFF, [SF49, FV49, VILLE],
        [PREFECTURE, ALM], S.IN_PROGRESS, 70, date(2024, 10, 1), date(2026, 12, 31),
        {
            "issue": "Les agents d'accueil ne savent pas toujours repérer ni orienter.",
            "objectives": "Former au moins 100 professionnels par an au repérage, à l'accueil "
            "et à l'orientation.",
            "target_public": "Agents d'accueil, travailleurs sociaux, animateurs",
            "steps": "Quatre sessions par an d'une journée, kit MIPROF « Anna », cas pratiques.",
            "resources": "FIPD, temps des formatrices du CIDFF et de Solidarité Femmes 49.",
            "budget": Decimal("12000"),
            "governance": G.COTECH,
        },
        [
            ("Programme de la journée validé", date(2024, 11, 15), date(2024, 11, 12)),
            ("Sessions du premier semestre 2026", date(2026, 6, 30), date(2026, 6, 26)),
            ("Sessions du second semestre 2026", date(2026, 12, 15), None),
        ],
        [(date(2026, 7, 2), "Deux sessions tenues au premier semestre, 28 participants.")],
    ),
    (
        "FORMER", "Formation des personnels des bars (charte nuit)", VILLE, [SF49, DDSP],
        [VILLE], S.IN_PROGRESS, 60, date(2025, 1, 15), date(2026, 12, 31),
        {
            "objectives": "Former le personnel des établissements labellisés de la charte de "
            "la vie nocturne « Pas de soirée sans respect ! ».",
            "target_public": "Personnels des bars et discothèques",
            "governance": G.GROUP,
        },
        [
            ("Kit « Pas de soirée sans respect » diffusé", date(2025, 3, 1), date(2025, 2, 20)),
            ("Labels 2026 attribués", date(2026, 11, 30), None),
        ],
        [(date(2026, 5, 20), "Séance de formation tenue avec 12 établissements.")],
    ),
    (
        "PRÉVENIR", "Guide « Agir contre les violences sexistes et sexuelles »", ALM,
        [CIDFF, SF49, FV49], [ALM, PREFECTURE], S.DONE, 100, date(2024, 9, 27),
        date(2025, 3, 31),
        {
            "objectives": "Éditer le guide et son annuaire local, 5 000 exemplaires diffusés.",
            "target_public": "Professionnels et grand public",
            "review": "Guide diffusé à 5 000 exemplaires aux partenaires ; l'annuaire est "
            "désormais tenu à jour dans Maillage.",
            "governance": G.COPIL,
        },
        [("Guide imprimé", date(2024, 11, 15), date(2024, 11, 14))],
        [(date(2025, 3, 24), "Dernière livraison aux partenaires.")],
    ),
    (
        "PRÉVENIR", "Campagne « auteur, victime, témoin »", ALM, [VILLE, UNIVERSITY], [ALM],
        S.IN_PROGRESS, 50, date(2025, 1, 1), date(2026, 12, 31),
        {
            "objectives": "Affiches et dépliants réutilisables par les nouveaux acteurs locaux.",
            "target_public": "Grand public, témoins, auteurs",
            "governance": G.COTECH,
        },
        [("Série témoin réimprimée", date(2026, 3, 31), date(2026, 4, 8))],
        [],
    ),
    (
        "PRÉVENIR", "Mois pour agir contre les violences sexistes et sexuelles", VILLE,
        [SF49, CIDFF, UNIVERSITY], [VILLE], S.IN_PROGRESS, 80, date(2026, 9, 1),
        date(2026, 11, 30),
        {
            "objectives": "Une vingtaine d'évènements en novembre avec les partenaires.",
            "target_public": "Grand public",
            "governance": G.COTECH,
        },
        [("Programme publié", date(2026, 10, 15), date(2026, 10, 12))],
        [],
    ),
    (
        "PRÉVENIR", "Prévention en milieu étudiant", UNIVERSITY, [SF49], [],
        S.POSTPONED, 10, date(2026, 1, 1), None,
        {"objectives": "Sensibiliser les étudiants dès la rentrée.", "governance": G.COTECH},
        [],
        [(date(2026, 6, 15), "Reportée à la rentrée 2027 : la cellule VDH se réorganise.")],
    ),
    (
        "FÉDÉRER", "Diagnostic territorial", ALM, [PREFECTURE, CAF, CHU], [ALM],
        S.DONE, 100, date(2024, 10, 1), date(2025, 6, 30),
        {
            "objectives": "Recenser besoins, manques et ressources avec les signataires.",
            "review": "Diagnostic partagé en COTECH ; il a nourri le plan d'action.",
            "governance": G.COPIL,
        },
        [("Questionnaire aux signataires", date(2025, 3, 31), date(2025, 3, 28))],
        [],
    ),
    (
        "FÉDÉRER", "Réseau des référents VSS des structures", SF49, [CIDFF, FV49], [],
        S.IN_PROGRESS, 30, date(2025, 9, 1), date(2026, 12, 31),
        {
            "objectives": "Un référent formé dans chaque structure signataire.",
            "governance": G.COTECH,
        },
        [("Liste des référents complétée", date(2026, 9, 30), None)],
        [(date(2026, 9, 10), "Onze structures sur 25 ont désigné leur référent.")],
    ),
    (
        "FÉDÉRER", "Bilan annuel du contrat", ALM, [], [], S.TO_START, 0,
        date(2026, 11, 1), date(2026, 12, 10),
        {
            "objectives": "Présenter le bilan annuel au COPIL à partir des indicateurs.",
            "governance": G.COPIL,
        },
        [("Bilan envoyé aux signataires", date(2026, 12, 3), None)],
        [],
    ),
]  # fmt: skip

COPIL_ATTENDEES = [PREFECTURE, PARQUET, ALM, VILLE, DSDEN, UNIVERSITY, CAF, CHU, CIDFF, SF49, FV49]
# (kind, date, hour, place, status, agenda, minutes, attendees, decisions)
# decision: (text, owner, due, done)
MEETINGS = [
    (
        Meeting.Kind.COPIL, date(2025, 12, 4), 14, "Hôtel de communauté, Angers",
        Meeting.Status.HELD,
        "1. Bilan de l'année 2025\n2. Plan d'action 2026\n3. Questions diverses",
        "Le comité approuve le bilan 2025 et le plan d'action 2026. Les partenaires "
        "saluent la diffusion du guide.",
        COPIL_ATTENDEES,
        [
            ("Programmer quatre sessions primo-accueil en 2026", CIDFF, date(2026, 2, 28),
             date(2026, 2, 10)),
            ("Réimprimer la série « témoin » de la campagne", ALM, date(2026, 3, 31),
             date(2026, 4, 8)),
            ("Désigner un référent VSS dans chaque structure signataire", SF49,
             date(2026, 6, 30), None),
            ("Préparer le bilan annuel à partir des indicateurs", ALM, date(2026, 12, 3),
             None),
        ],
    ),
    (
        Meeting.Kind.COTECH, date(2026, 3, 12), 10, "Maison de la justice et du droit",
        Meeting.Status.HELD,
        "Point d'avancement des fiches action.",
        "Tour des fiches action ; la prévention en milieu étudiant est reportée.",
        [ALM, VILLE, CIDFF, SF49, FV49, UNIVERSITY],
        [("Proposer un calendrier pour le Mois pour agir", VILLE, date(2026, 6, 1),
          date(2026, 5, 28))],
    ),
    (
        Meeting.Kind.GROUP, date(2026, 5, 19), 18, "Hôtel de ville, Angers",
        Meeting.Status.HELD,
        "Formation des personnels des établissements de nuit.",
        "Douze établissements représentés ; le kit sera complété d'une affiche.",
        [VILLE, SF49, DDSP],
        [],
    ),
    (
        Meeting.Kind.COPIL, date(2026, 12, 10), 14, "Hôtel de communauté, Angers",
        Meeting.Status.PLANNED,
        "1. Bilan annuel 2026\n2. Préparation du renouvellement du contrat",
        "",
        [],
        [],
    ),
]  # fmt: skip


def _sheet(priority, title, pilot, partners, funders, status, progress, start, end, fields):
    sheet = ActionSheet.objects.filter(priority=priority, title=title).first() or ActionSheet(
        priority=priority, title=title
    )
    sheet.pilot = pilot
    sheet.status, sheet.progress = status, progress
    sheet.starts_on, sheet.ends_on = start, end
    for name, value in fields.items():
        setattr(sheet, name, value)
    return save_sheet(sheet=sheet, partners=partners, funders=funders)


def _meeting(contract, kind, day, hour, place, status, agenda, minutes, group) -> Meeting:
    starts_at = timezone.make_aware(datetime.combine(day, time(hour)))
    meeting = Meeting.objects.filter(contract=contract, kind=kind, starts_at=starts_at).first()
    meeting = meeting or Meeting(contract=contract, kind=kind, starts_at=starts_at)
    meeting.place, meeting.status, meeting.agenda, meeting.minutes = place, status, agenda, minutes
    meeting.group = group if kind == Meeting.Kind.GROUP else None
    return meeting


def load_demo_data() -> list:
    territory = Territory.objects.get(slug="angers-loire-metropole")
    contract = Contract.objects.get(territory=territory, start_date=date(2024, 9, 27))
    organisations = {o.name: o for o in Organisation.objects.filter(territory=territory)}
    priorities = {p.code: p for p in contract.priorities.all()}
    coordinator = User.objects.filter(email="coordination@demo.maillage.fr").first()

    group, _created = WorkingGroup.objects.update_or_create(
        contract=contract,
        name=NIGHT_GROUP,
        defaults={
            "description": "Suivi de la charte de la vie nocturne et formation des "
            "personnels des établissements.",
            "pilot": organisations[VILLE],
        },
    )
    group.members.set([organisations[name] for name in (VILLE, SF49, DDSP, PREFECTURE)])

    for row in SHEETS:
        code, title, pilot, partners, funders, status, progress, start, end, fields = row[:10]
        milestones, notes = row[10], row[11]
        if fields.get("governance") == G.GROUP:
            fields = {**fields, "working_group": group}
        sheet = _sheet(
            priorities[code],
            title,
            organisations[pilot],
            [organisations[name] for name in partners],
            [organisations[name] for name in funders],
            status,
            progress,
            start,
            end,
            fields,
        )
        for milestone_title, due_on, done_on in milestones:
            milestone = Milestone.objects.filter(sheet=sheet, title=milestone_title).first()
            milestone = milestone or Milestone(sheet=sheet, title=milestone_title)
            milestone.due_on, milestone.done_on = due_on, done_on
            save_milestone(milestone=milestone)
        for written_on, text in notes:
            if not FollowUpNote.objects.filter(sheet=sheet, written_on=written_on).exists():
                add_note(sheet=sheet, text=text, written_on=written_on, by=coordinator)

    for kind, day, hour, place, status, agenda, minutes, attendees, decisions in MEETINGS:
        meeting = _meeting(contract, kind, day, hour, place, status, agenda, minutes, group)
        save_meeting(
            meeting=meeting,
            organisations=[organisations[name] for name in attendees],
            attendees=[coordinator] if coordinator and status == Meeting.Status.HELD else [],
        )
        for text, owner, due_on, done_on in decisions:
            decision = Decision.objects.filter(meeting=meeting, text=text).first()
            decision = decision or Decision(meeting=meeting, text=text)
            decision.owner = organisations[owner]
            decision.due_on, decision.done_on = due_on, done_on
            decision.status = Decision.Status.DONE if done_on else Decision.Status.OPEN
            save_decision(decision=decision)

    load_survey_demo()
    return []
