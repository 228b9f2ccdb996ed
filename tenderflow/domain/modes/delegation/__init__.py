"""Government delegation (政府委托): decisions, calculators, fold."""
