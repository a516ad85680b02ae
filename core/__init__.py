"""newsdesk core: parsing, corpus, keywords and statistics, usable without a screen."""
