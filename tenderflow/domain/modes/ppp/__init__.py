"""PPP on the open tender (财金〔2014〕113号): the decisions it adds and the fold of its result
confirmation. It computes no findings of its own (no calculators module)."""
