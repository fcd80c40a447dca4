"""Court page package: measures, deadlines, placements, diary, reports, messa alla prova."""

from tutela_app.pages.court.page import register

__all__ = ["register"]
