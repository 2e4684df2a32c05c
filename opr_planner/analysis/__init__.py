"""Reading plans: why a plan scores as it does, how plans differ, who meets whom."""
