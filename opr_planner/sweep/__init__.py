"""Sweeps: one plan per combination of rule/objective values, solved in parallel (SPEC 6, `sweep`)."""

from .run import Outcome, SweepInterrupted, VariantTask, run_sweep, solve_variant, tasks_for
from .variants import Variant, Vary, build_variants, parse_varies, scenario_data

__all__ = [
    "Outcome",
    "SweepInterrupted",
    "Variant",
    "VariantTask",
    "Vary",
    "build_variants",
    "parse_varies",
    "run_sweep",
    "scenario_data",
    "solve_variant",
    "tasks_for",
]
