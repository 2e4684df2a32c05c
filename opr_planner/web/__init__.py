"""The coordinator's workbench (`opr-planner serve`): the planning folder in a browser.

A thin layer over the library: the scenario loader judges data, the evaluator judges
plans, the solver solves (in a worker process), and every file is written whole.
"""

from .app import create_app
from .security import Access

__all__ = ["Access", "create_app"]
