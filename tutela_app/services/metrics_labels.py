"""Italian labels of the codes that appear as categories in the dashboards."""

from __future__ import annotations

from tutela_app.domain.case_workflow import INTERVENTION_LABELS, STAGE_LABELS, STAGES, ServiceKind
from tutela_app.domain.measures import MeasureType

SERVICE_COLUMN = {"tutela_minori": "Tutela Minori", "servizio_sociale": "Servizio Sociale Professionale"}

STAGE_ORDER: tuple[str, ...] = (
    *STAGES[ServiceKind.TUTELA_MINORI][:-1],
    *STAGES[ServiceKind.SERVIZIO_SOCIALE][:-1],
)


def stage_label(code: str | None) -> str:
    return STAGE_LABELS.get(code or "", code or "Fase non indicata")


def measure_label(code: str | None) -> str:
    if not code:
        return "Nessun provvedimento"
    try:
        return MeasureType(code).label
    except ValueError:
        return code


MEASURE_ORDER: tuple[str, ...] = tuple(m.value for m in MeasureType)


def intervention_label(code: str | None) -> str:
    for kind, label in INTERVENTION_LABELS.items():
        if kind.value == code:
            return label
    return code or "Tipo non indicato"


INTERVENTION_ORDER: tuple[str, ...] = tuple(k.value for k in INTERVENTION_LABELS)

NEED_AREAS: dict[str, str] = {
    "famiglia_minori": "Famiglia e minori",
    "disabili": "Disabili",
    "dipendenze": "Dipendenze",
    "anziani": "Anziani",
    "immigrati": "Immigrati",
    "poverta_disagio_adulti": "Povertà e disagio adulti",
    "multiutenza": "Multiutenza",
}
ACCESSO_OUTCOMES: dict[str, str] = {
    "informazione": "Informazione e orientamento",
    "invio": "Invio ad altro servizio",
    "presa_in_carico": "Presa in carico",
    "segnalazione_tm": "Segnalazione alla Tutela Minori",
}
REFERRAL_DESTINATIONS: dict[str, str] = {
    "sociale": "Servizi sociali",
    "socio_sanitario": "Servizi socio-sanitari",
    "lavoro": "Lavoro",
    "casa": "Casa",
    "tempo_libero": "Tempo libero",
    "tutela_minori": "Tutela Minori",
}
PLACEMENT_OUTCOMES: dict[str, str] = {
    "rientro_famiglia": "Rientro in famiglia",
    "altro_collocamento": "Altro collocamento",
    "adozione": "Adozione",
    "maggiore_eta": "Maggiore età",
}
PLACEMENT_KINDS: dict[str, str] = {"comunita": "Comunità", "affido_familiare": "Affido familiare"}
PROBATION_OUTCOMES: dict[str, str] = {
    "esito_positivo": "Esito positivo",
    "esito_negativo": "Esito negativo",
    "in_corso": "Esito non ancora definito",
}
