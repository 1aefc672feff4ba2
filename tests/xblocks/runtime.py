"""A small XBlock runtime for tests: its own key-value store, ids, and a list of published events.

Blocks are built per learner over one shared store per runtime, so cohort tallies
(``Scope.user_state_summary``) can be tested across learners while nothing leaks between tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

import webob
from xblock.core import XBlock
from xblock.fields import ScopeIds
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, Runtime


@dataclass
class Published:
    block_type: str
    user_id: str
    event_type: str
    data: dict[str, Any]


class RecordingRuntime(Runtime):
    """A Runtime whose ``publish`` appends to ``events``; handler URLs are fake but unique."""

    def __init__(self, services: dict[str, Any] | None = None) -> None:
        ids = MemoryIdManager()
        self.store = DictKeyValueStore()
        super().__init__(
            id_reader=ids, id_generator=ids, services={"field-data": KvsFieldData(self.store), **(services or {})}
        )
        self.events: list[Published] = []

    def handler_url(
        self, block: Any, handler_name: str, suffix: str = "", query: str = "", thirdparty: bool = False
    ) -> str:
        return f"/handler/{block.scope_ids.usage_id}/{handler_name}/{suffix}"

    def resource_url(self, resource: str) -> str:
        return f"/resource/{resource}"

    def local_resource_url(self, block: Any, uri: str) -> str:
        return f"/local/{block.scope_ids.block_type}/{uri}"

    def publish(self, block: Any, event_type: str, event_data: dict[str, Any]) -> None:
        self.events.append(Published(block.scope_ids.block_type, str(block.scope_ids.user_id), event_type, event_data))

    def events_of(self, event_type: str, user_id: str | None = None) -> list[dict[str, Any]]:
        return [
            event.data
            for event in self.events
            if event.event_type == event_type and (user_id is None or event.user_id == user_id)
        ]

    def make_block(
        self, cls: type[XBlock], user_id: str = "learner-1", usage_id: str | None = None, **settings: Any
    ) -> Any:
        """A block of ``cls`` seen by ``user_id``; pass the same ``usage_id`` to see one block as another learner."""
        block_type = tag_of(cls)
        if usage_id is None:
            def_id = self.id_generator.create_definition(block_type)
            usage_id = self.id_generator.create_usage(def_id)
        else:
            def_id = self.id_reader.get_definition_id(usage_id)
        block = self.construct_xblock_from_class(cls, ScopeIds(user_id, block_type, def_id, usage_id))
        for name, value in settings.items():
            setattr(block, name, value)
        block.save()
        return block


def tag_of(cls: type[XBlock]) -> str:
    """The ``xblock.v1`` entry point name (the tag) the package declares for ``cls``."""
    target = f"{cls.__module__}:{cls.__name__}"
    return next(point.name for point in entry_points(group="xblock.v1") if point.value == target)


def call(block: Any, handler: str, body: object) -> webob.Response:
    """Call a JSON handler the way the LMS does: ``block.handle(name, request)`` with a JSON POST body."""
    request = webob.Request.blank("/", POST=json.dumps(body))
    request.content_type = "application/json"
    return block.handle(handler, request)


def call_json(block: Any, handler: str, body: object, status: int = 200) -> Any:
    response = call(block, handler, body)
    assert response.status_code == status, response.text
    return response.json
