"""case-workbook: catalogue the material behind a duress defense for counsel.

It organizes information and never rates it; it works offline.
"""

__version__ = "0.1.0"
