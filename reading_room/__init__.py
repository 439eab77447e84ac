"""The report reading room: Chinese official reports -> a browsable, searchable static site."""
