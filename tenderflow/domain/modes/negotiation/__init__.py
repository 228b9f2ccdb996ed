"""Competitive negotiation (竞争性谈判, 政府采购法 第30、38条): decisions, calculators, fold."""
