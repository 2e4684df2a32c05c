"""opr-planner: plan development-oriented peer reviews (OPR) for Samen Opleiden partnerships."""

__version__ = "0.1.0"
