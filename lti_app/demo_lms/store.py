"""The demo LMS's own state (course, activities, gradebook), kept in a JSON file in the instance folder.

The demo LMS plays another organisation's system, so it keeps its data apart from the tool's database.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()

DEMO_USERS: dict[str, dict[str, Any]] = {
    "ada": {
        "name": "Ada Learner",
        "given_name": "Ada",
        "family_name": "Learner",
        "email": "ada@demo.example",
        "role": "learner",
    },
    "bo": {
        "name": "Bo Learner",
        "given_name": "Bo",
        "family_name": "Learner",
        "email": "bo@demo.example",
        "role": "learner",
    },
    "chen": {
        "name": "Chen Learner",
        "given_name": "Chen",
        "family_name": "Learner",
        "email": "chen@demo.example",
        "role": "learner",
    },
    "grace": {
        "name": "Grace Instructor",
        "given_name": "Grace",
        "family_name": "Instructor",
        "email": "grace@demo.example",
        "role": "instructor",
    },
    # A learner's line manager and a mentor: they see only what a learner shares with them (decision 0019).
    "max": {
        "name": "Max Manager",
        "given_name": "Max",
        "family_name": "Manager",
        "email": "max@demo.example",
        "role": "manager",
    },
    "mo": {
        "name": "Mo Mentor",
        "given_name": "Mo",
        "family_name": "Mentor",
        "email": "mo@demo.example",
        "role": "mentor",
        # LTI's role_scope_mentor: the platform says Mo mentors Chen (Chen still chooses what Mo sees).
        "mentors": ["chen"],
    },
}

COURSE = {"id": "demo-course-101", "title": "Career Design 101", "label": "CD101"}

_DEFAULT_STATE: dict[str, Any] = {
    "activities": [
        {
            "id": "activity-self-assessment",
            "title": "Where am I today? Skill self-assessment",
            "custom": {"component": "self_assessment", "grading": "on_completion", "max_score": "100"},
            "line_item": "lineitem-self-assessment",
        },
    ],
    "line_items": {
        "lineitem-self-assessment": {
            "label": "Skill self-assessment",
            "scoreMaximum": 100,
            "resourceId": "activity-self-assessment",
            "tag": "career-toolkit",
            "resourceLinkId": "activity-self-assessment",
        }
    },
    "scores": {},
    "next_id": 1,
}


class DemoStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, Any]:
        with _LOCK:
            return self._read()

    def update(self, change: Any) -> Any:
        """Apply ``change(state)`` under the lock and save; returns what ``change`` returned."""
        with _LOCK:
            state = self._read()
            result = change(state)
            self.path.write_text(json.dumps(state, indent=1))
            return result

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return json.loads(json.dumps(_DEFAULT_STATE))
        return dict(json.loads(self.path.read_text()))
