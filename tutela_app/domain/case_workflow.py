"""Case stages, allowed transitions and casework vocabularies.

Two services, each a linear sequence of stages ending in ``chiusura``:

* Tutela Minori (``tutela_minori``):
  segnalazione -> indagine -> progetto -> monitoraggio -> chiusura
* Servizio Sociale Professionale (``servizio_sociale``):
  valutazione -> progetto_individualizzato -> interventi -> verifica -> chiusura

Transition rules (``check_transition`` returns Italian refusal reasons, empty = allowed):

1. A case moves forward one step or back one step; it never jumps, except that
2. it may move to ``chiusura`` from any open stage, always with a ``closure_reason``
   among ``CLOSURE_REASONS``;
3. leaving ``chiusura`` (re-opening, back to the last open stage) is reserved to
   coordinators (``facts.actor_is_coordinator``);
4. Tutela Minori ``indagine -> progetto`` needs at least one intervention recorded and a
   responsible worker;
5. Tutela Minori ``progetto -> monitoraggio`` needs at least one goal with a starting
   (baseline) evaluation;
6. Servizio Sociale ``valutazione -> progetto_individualizzato`` needs a responsible worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ServiceKind(StrEnum):
    TUTELA_MINORI = "tutela_minori"
    SERVIZIO_SOCIALE = "servizio_sociale"

    @property
    def label(self) -> str:
        return SERVICE_LABELS[self]


SERVICE_LABELS: dict[ServiceKind, str] = {
    ServiceKind.TUTELA_MINORI: "Tutela Minori",
    ServiceKind.SERVIZIO_SOCIALE: "Servizio Sociale Professionale",
}

CLOSED = "chiusura"

STAGES: dict[ServiceKind, tuple[str, ...]] = {
    ServiceKind.TUTELA_MINORI: ("segnalazione", "indagine", "progetto", "monitoraggio", CLOSED),
    ServiceKind.SERVIZIO_SOCIALE: (
        "valutazione",
        "progetto_individualizzato",
        "interventi",
        "verifica",
        CLOSED,
    ),
}

STAGE_LABELS: dict[str, str] = {
    "segnalazione": "Segnalazione / mandato",
    "indagine": "Indagine",
    "progetto": "Progetto e interventi",
    "monitoraggio": "Monitoraggio",
    "valutazione": "Valutazione",
    "progetto_individualizzato": "Progetto individualizzato",
    "interventi": "Interventi",
    "verifica": "Verifica",
    CLOSED: "Chiusura",
}

CLOSURE_REASONS: dict[str, str] = {
    "obiettivi_raggiunti": "Obiettivi raggiunti",
    "trasferimento_servizio": "Trasferimento ad altro servizio/comune",
    "decreto_tribunale": "Decreto di archiviazione/chiusura del Tribunale",
    "maggiore_eta": "Maggiore età",
    "trasferimento_residenza": "Trasferimento di residenza",
    "rinuncia_irreperibilita": "Rinuncia/irreperibilità",
    "altro": "Altro",
}


@dataclass(frozen=True)
class TransitionFacts:
    """What the rules need to know about the case and the person acting."""

    has_responsible_worker: bool = False
    interventions_count: int = 0
    goals_with_baseline: int = 0
    closure_reason: str | None = None
    actor_is_coordinator: bool = False


def stages(service: ServiceKind | str) -> tuple[str, ...]:
    return STAGES[ServiceKind(service)]


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


def allowed_targets(service: ServiceKind | str, stage: str) -> list[str]:
    """Stages reachable in one move, ignoring facts (structure only)."""
    seq = stages(service)
    if stage not in seq:
        return []
    i = seq.index(stage)
    if stage == CLOSED:
        return [seq[i - 1]]
    targets = [seq[i + 1]]
    if i > 0:
        targets.append(seq[i - 1])
    if CLOSED not in targets:
        targets.append(CLOSED)
    return targets


def _structural_reasons(service: ServiceKind, from_stage: str, to_stage: str) -> list[str]:
    seq = STAGES[service]
    for stage in (from_stage, to_stage):
        if stage not in seq:
            return [f"La fase «{stage}» non esiste per il servizio {service.label}."]
    if from_stage == to_stage:
        return ["La pratica è già in questa fase."]
    if to_stage not in allowed_targets(service, from_stage):
        return [
            f"Da «{stage_label(from_stage)}» non si può passare direttamente a "
            f"«{stage_label(to_stage)}»: si avanza o si torna indietro di una fase alla volta."
        ]
    return []


def _rule_reasons(service: ServiceKind, from_stage: str, to_stage: str, facts: TransitionFacts) -> list[str]:
    reasons: list[str] = []
    if to_stage == CLOSED and facts.closure_reason not in CLOSURE_REASONS:
        reasons.append("Per chiudere la pratica indica il motivo della chiusura.")
    if from_stage == CLOSED and not facts.actor_is_coordinator:
        reasons.append("Solo il coordinatore può riaprire una pratica chiusa.")
    step = (service, from_stage, to_stage)
    if step == (ServiceKind.TUTELA_MINORI, "indagine", "progetto"):
        if facts.interventions_count < 1:
            reasons.append("Per passare al progetto registra almeno un intervento.")
        if not facts.has_responsible_worker:
            reasons.append("Per passare al progetto nomina l'operatore responsabile del caso.")
    if step == (ServiceKind.TUTELA_MINORI, "progetto", "monitoraggio") and facts.goals_with_baseline < 1:
        reasons.append("Per passare al monitoraggio serve almeno un obiettivo con la valutazione iniziale.")
    if step == (ServiceKind.SERVIZIO_SOCIALE, "valutazione", "progetto_individualizzato"):
        if not facts.has_responsible_worker:
            reasons.append("Per passare al progetto individualizzato nomina l'operatore responsabile.")
    return reasons


def check_transition(
    service: ServiceKind | str, from_stage: str, to_stage: str, facts: TransitionFacts
) -> list[str]:
    """Italian reasons why the move is refused; an empty list means it is allowed."""
    try:
        kind = ServiceKind(service)
    except ValueError:
        return [f"Servizio sconosciuto: «{service}»."]
    reasons = _structural_reasons(kind, from_stage, to_stage)
    if reasons:
        return reasons
    return _rule_reasons(kind, from_stage, to_stage, facts)


class InterventionKind(StrEnum):
    INDAGINE_PSICOSOCIALE = "indagine_psicosociale"
    OSSERVAZIONE = "osservazione"
    PERCORSO_DIAGNOSTICO_TERAPEUTICO = "percorso_diagnostico_terapeutico"
    PEI = "pei"
    MESSA_ALLA_PROVA = "messa_alla_prova"
    LAVORO_DI_RETE = "lavoro_di_rete"
    MONITORAGGIO_VALUTAZIONE = "monitoraggio_valutazione"
    RELAZIONI_PERIODICHE = "relazioni_periodiche"

    @property
    def label(self) -> str:
        return INTERVENTION_LABELS[self]


INTERVENTION_LABELS: dict[InterventionKind, str] = {
    InterventionKind.INDAGINE_PSICOSOCIALE: "Indagine psico-sociale",
    InterventionKind.OSSERVAZIONE: "Osservazione (domicilio, scuola, altri contesti)",
    InterventionKind.PERCORSO_DIAGNOSTICO_TERAPEUTICO: "Percorso diagnostico e/o terapeutico",
    InterventionKind.PEI: "Progetto educativo individualizzato (PEI)",
    InterventionKind.MESSA_ALLA_PROVA: "Messa alla prova",
    InterventionKind.LAVORO_DI_RETE: "Lavoro di rete",
    InterventionKind.MONITORAGGIO_VALUTAZIONE: "Monitoraggio e valutazione dell'efficacia",
    InterventionKind.RELAZIONI_PERIODICHE: "Relazioni periodiche",
}


class NetworkContactKind(StrEnum):
    SCUOLA = "scuola"
    NPI_UONPIA = "npi_uonpia"
    CONSULTORIO = "consultorio"
    CPS = "cps"
    SERD = "serd"
    ASSOCIAZIONE = "associazione"
    VOLONTARIATO = "volontariato"
    RISORSA_INFORMALE = "risorsa_informale"
    ALTRO = "altro"

    @property
    def label(self) -> str:
        return NETWORK_CONTACT_LABELS[self]

    @property
    def key_by_default(self) -> bool:
        return self in KEY_NETWORK_CONTACTS


NETWORK_CONTACT_LABELS: dict[NetworkContactKind, str] = {
    NetworkContactKind.SCUOLA: "Scuola",
    NetworkContactKind.NPI_UONPIA: "NPI / UONPIA",
    NetworkContactKind.CONSULTORIO: "Consultorio",
    NetworkContactKind.CPS: "CPS (Centro Psico-Sociale)",
    NetworkContactKind.SERD: "SerD",
    NetworkContactKind.ASSOCIAZIONE: "Associazione",
    NetworkContactKind.VOLONTARIATO: "Volontariato",
    NetworkContactKind.RISORSA_INFORMALE: "Risorsa informale",
    NetworkContactKind.ALTRO: "Altro",
}

# Institutional services are key contacts of the network unless the worker says otherwise.
KEY_NETWORK_CONTACTS: frozenset[NetworkContactKind] = frozenset(
    {
        NetworkContactKind.SCUOLA,
        NetworkContactKind.NPI_UONPIA,
        NetworkContactKind.CONSULTORIO,
        NetworkContactKind.CPS,
        NetworkContactKind.SERD,
    }
)


class DiaryTag(StrEnum):
    """Report sections required by art. 473-bis.27 c.p.c."""

    FATTO = "fatto"
    DICHIARAZIONE = "dichiarazione"
    VALUTAZIONE = "valutazione"

    @property
    def label(self) -> str:
        return DIARY_TAG_LABELS[self]


DIARY_TAG_LABELS: dict[DiaryTag, str] = {
    DiaryTag.FATTO: "Fatto accertato",
    DiaryTag.DICHIARAZIONE: "Dichiarazione (delle parti o di terzi)",
    DiaryTag.VALUTAZIONE: "Valutazione professionale",
}
