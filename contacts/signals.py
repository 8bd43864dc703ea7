"""Signals contacts sends so apps above it can follow its derived data without contacts importing them."""

from django.dispatch import Signal

# Sent after commit with `person_ids`: their influence from the public record was recomputed in bulk
# (no per-row save signal is sent for a bulk update).
public_influence_changed = Signal()
