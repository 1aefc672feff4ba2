"""Tests of the career domain."""
