"""Talent analytics with the people named: where founders came from (S10), boomerangs
(S11), paper attrition, net flows (S5, S6), time to first release (S14) and retention
(S7). Each view is a pure function of the graph at its as-of date, built on the moves
(compute/moves.py) and the known careers (compute/known.py); docs/definitions.md defines them."""
