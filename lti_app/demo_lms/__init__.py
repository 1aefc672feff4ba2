"""A bundled demo LMS: a real LTI 1.3 platform for development and the demo, never for production.

It signs its own id_tokens, answers OAuth 2 token requests, keeps a gradebook through AGS, lists a roster
through NRPS and accepts Deep Linking responses, so a newcomer sees the toolkit inside an LMS at once.
It is only mounted by ``career-toolkit demo`` (or tests), never by ``create_app`` on its own.
"""
