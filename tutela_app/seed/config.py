"""Scales, tenants and vocabularies of the synthetic demo data (all fictional)."""

from __future__ import annotations

from dataclasses import dataclass

SYNTHETIC_ISSUER = "urn:tutela:synthetic"
COURT = "Tribunale per i Minorenni di Milano"


@dataclass(frozen=True)
class Scale:
    name: str
    tm_cases: int  # Tutela Minori cases per TM tenant (demo gets ``demo_factor`` times more)
    ssp_cases: int  # Servizio Sociale Professionale cases per segretariato tenant
    accessi: int  # front-desk visits per segretariato tenant
    demo_factor: float
    interventions: tuple[int, int]  # per case (min, max)
    goals: tuple[int, int]  # per intervention
    diary: tuple[int, int]  # per case
    review_days: tuple[int, int]  # days between two evaluations of a goal
    batch: int  # rows per INSERT batch


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", 4, 4, 30, 2.0, (2, 4), (1, 2), (2, 5), (75, 105), 5_000),
    "demo": Scale("demo", 70, 50, 450, 1.3, (3, 6), (1, 2), (4, 12), (75, 105), 10_000),
    # large: monthly monitoring so that goals x evaluations exceed a million rows
    "large": Scale("large", 1_250, 1_000, 9_000, 1.2, (6, 9), (2, 4), (2, 5), (22, 38), 20_000),
}


@dataclass(frozen=True)
class TenantSpec:
    code: str
    name: str
    kind: str
    tm: bool
    seg: bool
    place: str  # main comune, used for addresses and birthplaces


TENANTS: tuple[TenantSpec, ...] = (
    TenantSpec("inzago", "Comune di Inzago", "comune", True, False, "Inzago"),
    TenantSpec("corsichese", "Cesano Boscone e ambito sociale del Corsichese", "ambito", True, False, "Cesano Boscone"),
    TenantSpec("gaggiano", "Gaggiano e comuni associati", "ambito", True, False, "Gaggiano"),
    TenantSpec("sesto-calende", "Ambito distrettuale di Sesto Calende", "ambito", True, False, "Sesto Calende"),
    TenantSpec("brugherio", "Comune di Brugherio", "comune", True, False, "Brugherio"),
    TenantSpec("cantu", "Comune di Cantù", "comune", False, True, "Cantù"),
    TenantSpec("pioltello", "Comune di Pioltello", "comune", False, True, "Pioltello"),
    TenantSpec("demo", "Comune Demo", "comune", True, True, "Milano"),
)

# Birthplaces: (name for the codicefiscale package, citizenship). Italian ones weigh more.
ITALIAN_PLACES = (
    "Milano", "Monza", "Bergamo", "Como", "Varese", "Corsico", "Cesano Boscone", "Brugherio",
    "Pioltello", "Cantù", "Inzago", "Gaggiano", "Sesto Calende", "Napoli", "Palermo", "Roma",
    "Bari", "Torino", "Lecco", "Pavia",
)
FOREIGN_PLACES = (
    ("Marocco", "Marocchina"), ("Romania", "Rumena"), ("Albania", "Albanese"), ("Egitto", "Egiziana"),
    ("Senegal", "Senegalese"), ("Perù", "Peruviana"), ("Ucraina", "Ucraina"), ("Nigeria", "Nigeriana"),
    ("Pakistan", "Pakistana"), ("Ecuador", "Ecuadoriana"), ("Tunisia", "Tunisina"),
    ("Filippine", "Filippina"), ("Sri Lanka", "Srilankese"), ("Bangladesh", "Bengalese"),
)

TM_STAGES = ("segnalazione", "indagine", "progetto", "monitoraggio", "chiusura")
SSP_STAGES = ("valutazione", "progetto_individualizzato", "interventi", "verifica", "chiusura")
# Weights of the current stage, and the (min, max) age in days of a case in that stage.
TM_STAGE_WEIGHTS = (0.08, 0.14, 0.26, 0.24, 0.28)
SSP_STAGE_WEIGHTS = (0.10, 0.16, 0.24, 0.18, 0.32)
STAGE_AGE_DAYS = ((3, 70), (30, 260), (120, 800), (240, 1090), (200, 1095))
# Keys of tutela_app.domain.case_workflow.CLOSURE_REASONS
CLOSURE_REASONS = (
    "obiettivi_raggiunti", "trasferimento_servizio", "decreto_tribunale", "maggiore_eta",
    "trasferimento_residenza", "rinuncia_irreperibilita", "altro",
)
CLOSURE_WEIGHTS = (0.35, 0.1, 0.2, 0.1, 0.1, 0.1, 0.05)

MEASURE_TYPES = (
    "affidamento_servizio_sociale", "affido_familiare", "collocamento_comunita", "collocamento_403",
    "limitazione_responsabilita", "decadenza_responsabilita", "decreto_provvisorio", "messa_alla_prova",
)
MEASURE_WEIGHTS = (0.3, 0.11, 0.13, 0.08, 0.12, 0.04, 0.12, 0.10)

INTERVENTION_KINDS_TM = (
    "indagine_psicosociale", "osservazione", "percorso_diagnostico_terapeutico", "pei",
    "lavoro_di_rete", "monitoraggio_valutazione", "relazioni_periodiche",
)
INTERVENTION_KINDS_SSP = ("pei", "lavoro_di_rete", "monitoraggio_valutazione", "osservazione")

GOALS = {
    "indagine_psicosociale": ("Comprendere le risorse e le fragilità del nucleo",
                              "Valutare le capacità genitoriali", "Ricostruire la storia familiare",
                              "Mappare la rete di sostegno"),
    "osservazione": ("Migliorare la relazione genitore-figlio durante gli incontri",
                     "Regolarità della frequenza scolastica", "Cura dell'igiene e dell'alimentazione",
                     "Rispetto delle regole condivise in casa"),
    "percorso_diagnostico_terapeutico": ("Adesione al percorso terapeutico", "Riduzione dei comportamenti a rischio",
                                         "Regolarità delle visite specialistiche", "Gestione delle emozioni"),
    "pei": ("Autonomia nella cura di sé", "Rendimento scolastico sufficiente", "Partecipazione ad attività di gruppo",
            "Ricerca attiva di lavoro", "Gestione autonoma del bilancio familiare"),
    "messa_alla_prova": ("Rispetto delle prescrizioni", "Svolgimento dell'attività di volontariato",
                         "Frequenza del percorso formativo", "Riflessione sul reato commesso"),
    "lavoro_di_rete": ("Attivazione della rete territoriale", "Coinvolgimento della famiglia allargata",
                       "Raccordo stabile con la scuola", "Accesso ai servizi sanitari"),
    "monitoraggio_valutazione": ("Stabilità del contesto di vita", "Benessere complessivo del minore",
                                 "Continuità delle relazioni significative", "Tenuta degli impegni presi"),
    "relazioni_periodiche": ("Aggiornamento puntuale dell'Autorità Giudiziaria",),
}

NEED_AREAS = ("famiglia_minori", "disabili", "dipendenze", "anziani", "immigrati", "poverta_disagio_adulti", "multiutenza")
NEED_WEIGHTS = (0.25, 0.1, 0.06, 0.18, 0.12, 0.22, 0.07)
# Values of the intake flow's who_comes question (tutela_app/domain/intake_flow.json).
WHO_COMES = ("persona", "familiare", "scuola", "servizio", "forze_ordine", "altro")
WHO_WEIGHTS = (0.55, 0.2, 0.08, 0.1, 0.04, 0.03)
OUTCOMES = ("informazione", "invio", "presa_in_carico", "segnalazione_tm")
OUTCOME_WEIGHTS = (0.42, 0.3, 0.18, 0.10)
REFERRAL_DESTINATIONS = {
    "sociale": ("Centro per le famiglie", "Servizio anziani del Comune", "Sportello stranieri"),
    "socio_sanitario": ("Consultorio familiare ASST", "UONPIA territoriale", "CPS", "SerD"),
    "lavoro": ("Centro per l'impiego", "Servizio inserimenti lavorativi (SIL)"),
    "casa": ("Ufficio casa comunale", "Agenzia per l'abitare"),
    "tempo_libero": ("Centro di aggregazione giovanile", "Associazione sportiva del territorio"),
}
NEED_TEXTS = {
    "famiglia_minori": "Difficoltà nella gestione dei figli dopo la separazione.",
    "disabili": "Richiesta di supporto per il figlio con disabilità.",
    "dipendenze": "Il familiare ha problemi di alcol e chiede aiuto.",
    "anziani": "La madre anziana non è più autosufficiente.",
    "immigrati": "Informazioni sul permesso di soggiorno e sull'iscrizione a scuola.",
    "poverta_disagio_adulti": "Ha perso il lavoro e non riesce a pagare l'affitto.",
    "multiutenza": "Più bisogni nel nucleo: casa, lavoro e salute.",
}

NETWORK_KINDS = ("scuola", "npi_uonpia", "consultorio", "cps", "serd", "associazione", "volontariato",
                 "risorsa_informale", "altro")
NETWORK_ORGS = {
    "scuola": "Istituto comprensivo statale", "npi_uonpia": "UONPIA ASST", "consultorio": "Consultorio familiare",
    "cps": "Centro Psico-Sociale", "serd": "SerD ASST", "associazione": "Associazione genitori",
    "volontariato": "Gruppo di volontariato parrocchiale", "risorsa_informale": "Vicina di casa",
    "altro": "Medico di medicina generale",
}
HOSTS_COMUNITA = ("Comunità educativa Il Girasole", "Comunità alloggio La Quercia", "Comunità mamma-bambino Arcobaleno",
                  "Comunità educativa Casa Aurora", "Comunità Il Faro")
