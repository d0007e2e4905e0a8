"""What leaves ehcaudit: text made safe for terminals and files, atomic file writes, words in the right number."""
