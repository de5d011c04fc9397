"""The bundled demo case: a fictional duress case to explore the tool with."""
