"""The toolkit as a Learning Record Store for skill evidence: registered xAPI sources and their statements."""
