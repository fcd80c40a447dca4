"""Colour-blind-safe palette (Okabe & Ito, 2008), ordered for contrast against white.

The light members (yellow, sky blue) come last; the warning colour (vermillion) marks
values that need attention, e.g. placements beyond the 24-month limit.
"""

from __future__ import annotations

BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
ORANGE = "#E69F00"
SKY = "#56B4E9"
BLACK = "#000000"
YELLOW = "#F0E442"

OKABE_ITO: tuple[str, ...] = (BLUE, ORANGE, GREEN, PURPLE, VERMILLION, SKY, BLACK, YELLOW)
SERIES: tuple[str, ...] = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, BLACK)
WARNING = VERMILLION
BASE = BLUE
TEXT = "#1f1f1f"
GRID = "#d0d0d0"


def series_colour(index: int) -> str:
    return SERIES[index % len(SERIES)]
