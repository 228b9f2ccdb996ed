"""The PPP contract after signing (workflows/ppp_contract.yaml): decisions and fold."""
