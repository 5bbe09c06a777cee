"""Normalization scales, record matching and consensus."""
