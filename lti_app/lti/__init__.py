"""LTI 1.3 plumbing on pylti1p3: registrations from the database, hardened login and launch, key sets."""
