"""Figures in report prose, as the answerers and the verifier read them.

The parsing lives in :mod:`index.figures`, because indexing extracts every
figure of a report too; this module keeps the assistant's own import path.
"""

from index.figures import UNITS, Figure, chinese_to_number, find_figures, fold, numbers_in

__all__ = ["UNITS", "Figure", "chinese_to_number", "find_figures", "fold", "numbers_in"]
