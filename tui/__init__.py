"""newsdesk terminal interface: the command line and the Textual app."""
