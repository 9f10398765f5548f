"""Across years: what changed between two partnership-years and how a partnership is doing over time.

``diff`` compares two years' findings and arrangements; ``trend`` checks every year in a folder
and tabulates outcomes, funding, activity and reviews; ``new_year`` starts next year's data file
from this year's. Each runs the whole flow (``thscp_kg.pipeline``) per year.
"""
