"""The shared analysis: everything the rules, the fixer and the front ends read."""
