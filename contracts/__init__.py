"""The rules: CAO catalogue, pay calculation, Working Hours Act checks. Pure functions."""
