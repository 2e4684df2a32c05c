"""Scenario files: models, loading and validation."""

from .load import load_scenario
from .models import Participant, Partnership, Review, Rules, Scenario, Session

__all__ = ["Participant", "Partnership", "Review", "Rules", "Scenario", "Session", "load_scenario"]
