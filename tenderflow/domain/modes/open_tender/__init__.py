"""The open tender (公开招标/邀请招标, 招标投标法): decisions before the opening (:mod:`.decisions`),
on sealed bids and their evaluation (:mod:`.evaluation`) and from the report to the contract
(:mod:`.award`); its calculators and its fold."""
