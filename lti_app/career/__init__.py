"""Career services: validate with career_core, persist, publish scores. They take a LaunchSession and plain values,
never a Flask request, so pages, the API and the CLI share them."""
