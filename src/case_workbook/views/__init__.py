"""Views of a case for the faces: columns, filtering, details. No UI code."""
