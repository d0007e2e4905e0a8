"""ehcaudit: quality-assure Education, Health and Care plans at the keyboard."""

__version__ = "0.1.0"
