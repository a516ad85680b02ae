"""Real Wikinews articles (English and Russian) and their renderings as scraped files."""
