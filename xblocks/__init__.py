"""Open edX XBlocks for the Career Toolkit: thin front ends over :mod:`career_core`."""
