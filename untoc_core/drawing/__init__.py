"""The drawing of lots: review years (ToR 14) and reviewing States (ToR 18-20)."""
