from datetime import date

import pytest

from tutela_app.domain.efficacy import attainment_band, months_between, score_change


def test_score_change_is_latest_minus_baseline():
    assert score_change(2, 4) == 2
    assert score_change(4, 1) == -3
    assert score_change(3, 3) == 0


@pytest.mark.parametrize(
    ("change", "band"),
    [
        (-2, "Peggioramento"),
        (-1, "Peggioramento"),
        (0, "Nessun cambiamento"),
        (1, "Miglioramento lieve"),
        (2, "Miglioramento significativo"),
        (4, "Miglioramento significativo"),
    ],
)
def test_attainment_band(change, band):
    assert attainment_band(change) == band


@pytest.mark.parametrize(
    ("a", "b", "months"),
    [
        (date(2026, 1, 15), date(2026, 7, 15), 6),
        (date(2026, 1, 15), date(2026, 7, 14), 5),
        (date(2024, 1, 31), date(2024, 2, 29), 1),  # end of a shorter month completes it
        (date(2025, 1, 31), date(2025, 2, 27), 0),
        (date(2026, 3, 1), date(2028, 3, 1), 24),
        (date(2026, 7, 15), date(2026, 1, 15), -6),
        (date(2026, 5, 5), date(2026, 5, 5), 0),
    ],
)
def test_months_between(a, b, months):
    assert months_between(a, b) == months
