"""Reflection exercises from career-development practice, and the rules for when one is complete.

An exercise is a template of fields; a learner's answers are a JSON-like dict keyed by field.
``validate_answers`` refuses malformed answers; ``evaluate_exercise`` says how far well-formed answers
go towards completion, criterion by criterion, so a page can tell the learner what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from career_core.errors import ValidationError


class FieldKind(StrEnum):
    TEXT = "text"  # one piece of writing
    TEXT_LIST = "text_list"  # several short pieces of writing, e.g. milestones
    CHOICES = "choices"  # picks from a fixed list of options
    ENTRIES = "entries"  # several records with named parts, e.g. a contact and the next step


@dataclass(frozen=True)
class EntryPart:
    """One named part of an entry. ``choose_from_field`` ties the value to another field's picks."""

    key: str
    label: str
    min_words: int = 1
    max_length: int = 500
    choose_from_field: str | None = None


@dataclass(frozen=True)
class ExerciseField:
    key: str
    label: str
    prompt: str
    kind: FieldKind
    min_words: int = 0  # for TEXT, and for each TEXT_LIST item
    min_items: int = 0  # for TEXT_LIST, CHOICES and ENTRIES
    max_items: int = 20
    max_length: int = 2000
    options: tuple[str, ...] = ()
    parts: tuple[EntryPart, ...] = ()

    @property
    def counts_towards_completion(self) -> bool:
        return (self.min_words if self.kind is FieldKind.TEXT else self.min_items) > 0

    @property
    def criterion(self) -> str:
        """The completion criterion in words, shown to the learner before they start."""
        if self.kind is FieldKind.TEXT:
            return f"{self.label}: write at least {self.min_words} words."
        if self.kind is FieldKind.TEXT_LIST:
            return f"{self.label}: list at least {self.min_items}, each of at least {self.min_words} words."
        if self.kind is FieldKind.CHOICES:
            exact = self.min_items == self.max_items
            return f"{self.label}: choose {'exactly' if exact else 'at least'} {self.min_items}."
        needs = " and ".join(
            f"{part.label.lower()} ({part.min_words}+ words)" if part.min_words > 1 else part.label.lower()
            for part in self.parts
        )
        return f"{self.label}: at least {self.min_items} complete, each with {needs}."


@dataclass(frozen=True)
class ExerciseTemplate:
    key: str
    title: str
    intro: str
    fields: tuple[ExerciseField, ...]

    def field(self, key: str) -> ExerciseField:
        for item in self.fields:
            if item.key == key:
                return item
        raise KeyError(key)


@dataclass(frozen=True)
class CriterionResult:
    field_key: str
    description: str
    fraction: float
    met: bool
    message: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExerciseResult:
    """``completion`` is the mean of the criteria's fractions; it is 1.0 exactly when ``complete``."""

    completion: float
    criteria: tuple[CriterionResult, ...]
    complete: bool

    @property
    def unmet(self) -> tuple[CriterionResult, ...]:
        return tuple(criterion for criterion in self.criteria if not criterion.met)


def validate_answers(template: ExerciseTemplate, answers: object) -> None:
    """:raise ValidationError: on unknown fields, wrong types, unknown options, duplicates, or too much."""
    if not isinstance(answers, Mapping):
        raise ValidationError(f"answers: must be an object keyed by field, not {type(answers).__name__}")
    errors: list[str] = []
    known = {item.key for item in template.fields}
    errors.extend(f"{key}: is not a field of {template.key!r}" for key in answers if key not in known)
    for item in template.fields:
        value = answers.get(item.key)
        if value is not None:
            errors.extend(_shape_errors(item, value))
    if errors:
        raise ValidationError(errors)


def evaluate_exercise(template: ExerciseTemplate, answers: Mapping[str, Any]) -> ExerciseResult:
    """Completion of validated answers; missing fields simply count as not yet done.

    :raise ValidationError: when the answers are malformed (see ``validate_answers``).
    """
    validate_answers(template, answers)
    criteria = tuple(
        _evaluate_field(item, answers.get(item.key), answers)
        for item in template.fields
        if item.counts_towards_completion
    )
    complete = all(criterion.met for criterion in criteria)
    if not criteria:
        return ExerciseResult(1.0, (), True)
    completion = 1.0 if complete else sum(c.fraction for c in criteria) / len(criteria)
    return ExerciseResult(completion, criteria, complete)


def _shape_errors(item: ExerciseField, value: object) -> list[str]:
    where = item.key
    if item.kind is FieldKind.TEXT:
        return _text_errors(value, where, item.max_length)
    if not isinstance(value, list):
        return [f"{where}: must be a list, not {type(value).__name__}"]
    errors: list[str] = []
    if len(value) > item.max_items:
        errors.append(f"{where}: at most {item.max_items} items, not {len(value)}")
    if item.kind is FieldKind.TEXT_LIST:
        for index, element in enumerate(value):
            errors.extend(_text_errors(element, f"{where}[{index}]", item.max_length))
    elif item.kind is FieldKind.CHOICES:
        seen: set[str] = set()
        for index, element in enumerate(value):
            if not isinstance(element, str):
                errors.append(f"{where}[{index}]: must be text, not {type(element).__name__}")
            elif element not in item.options:
                errors.append(f"{where}[{index}]: {element!r} is not one of the options")
            elif element in seen:
                errors.append(f"{where}[{index}]: {element!r} is chosen twice")
            else:
                seen.add(element)
    else:
        for index, element in enumerate(value):
            errors.extend(_entry_errors(item, element, f"{where}[{index}]"))
    return errors


def _entry_errors(item: ExerciseField, entry: object, where: str) -> list[str]:
    if not isinstance(entry, Mapping):
        return [f"{where}: must be an object with {', '.join(part.key for part in item.parts)}"]
    parts = {part.key: part for part in item.parts}
    errors = [f"{where}.{key}: is not a part of {item.key!r}" for key in entry if key not in parts]
    for key, part in parts.items():
        if entry.get(key) is not None:
            errors.extend(_text_errors(entry[key], f"{where}.{key}", part.max_length))
    return errors


def _text_errors(value: object, where: str, max_length: int) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: must be text, not {type(value).__name__}"]
    if len(value) > max_length:
        return [f"{where}: is {len(value)} characters long; the limit is {max_length}"]
    return []


def _words(text: object) -> int:
    return len(text.split()) if isinstance(text, str) else 0


def _evaluate_field(item: ExerciseField, value: Any, answers: Mapping[str, Any]) -> CriterionResult:
    if item.kind is FieldKind.TEXT:
        words = _words(value)
        fraction = min(words / item.min_words, 1.0)
        met = words >= item.min_words
        message = (
            f"{item.label}: {words} words written."
            if met
            else f"{item.label}: {words} of at least {item.min_words} words written."
        )
        return CriterionResult(item.key, item.criterion, fraction, met, message)
    items: Sequence[Any] = value or []
    problems: list[str] = []
    if item.kind is FieldKind.CHOICES:
        done = len(items)
        noun = "chosen"
    elif item.kind is FieldKind.TEXT_LIST:
        done = sum(1 for element in items if _words(element) >= item.min_words)
        noun = f"with {item.min_words}+ words"
    else:
        done = 0
        for index, entry in enumerate(items):
            entry_problems = _entry_problems(item, entry, f"{item.key}[{index}]", answers, items[:index])
            problems.extend(entry_problems)
            done += not entry_problems
        noun = "complete"
    fraction = min(done / item.min_items, 1.0)
    met = done >= item.min_items
    message = f"{item.label}: {done} {noun}." if met else f"{item.label}: {done} of at least {item.min_items} {noun}."
    return CriterionResult(item.key, item.criterion, fraction, met, message, tuple(problems))


def _entry_problems(
    item: ExerciseField,
    entry: Mapping[str, Any],
    where: str,
    answers: Mapping[str, Any],
    earlier: Sequence[Mapping[str, Any]],
) -> list[str]:
    problems: list[str] = []
    for part in item.parts:
        text = entry.get(part.key)
        if _words(text) < part.min_words:
            needed = "is missing" if _words(text) == 0 else f"needs at least {part.min_words} words"
            problems.append(f"{where}.{part.key}: {part.label.lower()} {needed}")
        elif part.choose_from_field is not None:
            # Checked here, not in validation: the learner may change their picks after ranking them.
            picks = answers.get(part.choose_from_field) or []
            if text not in picks:
                problems.append(f"{where}.{part.key}: {text!r} is not one of your chosen values")
            elif any(other.get(part.key) == text for other in earlier):
                problems.append(f"{where}.{part.key}: {text!r} is already ranked above")
    return problems


VALUE_OPTIONS: tuple[str, ...] = (
    "achievement",
    "autonomy",
    "balance",
    "belonging",
    "challenge",
    "creativity",
    "expertise",
    "fairness",
    "financial security",
    "friendship at work",
    "helping others",
    "influence",
    "integrity",
    "learning",
    "leadership",
    "recognition",
    "responsibility",
    "security",
    "status",
    "sustainability",
    "teamwork",
    "variety",
)

CAREER_DRIVER_OPTIONS: tuple[str, ...] = (
    "technical or functional expertise",
    "leading and managing others",
    "autonomy and independence",
    "security and stability",
    "building something new",
    "service to a cause",
    "pure challenge",
    "lifestyle and balance",
)

_VALUES = ExerciseTemplate(
    key="values_and_drivers",
    title="Values and career drivers",
    intro="Your values are what make work feel worthwhile. Knowing them helps you judge roles, "
    "projects and offers against what matters to you, not only against pay and title.",
    fields=(
        ExerciseField(
            key="top_values",
            label="Top values",
            prompt="From the list, choose the five values that matter most to you at work.",
            kind=FieldKind.CHOICES,
            min_items=5,
            max_items=5,
            options=VALUE_OPTIONS,
        ),
        ExerciseField(
            key="ranked_values",
            label="Top three, ranked",
            prompt="Rank your three most important values, most important first, and for each write a "
            "sentence on what it looks like in your working life.",
            kind=FieldKind.ENTRIES,
            min_items=3,
            max_items=3,
            parts=(
                EntryPart("value", "Value", choose_from_field="top_values"),
                EntryPart("meaning", "What it means to you", min_words=6),
            ),
        ),
        ExerciseField(
            key="career_drivers",
            label="Career drivers",
            prompt="Which two or three of these pull you most strongly when you choose a role?",
            kind=FieldKind.CHOICES,
            min_items=2,
            max_items=3,
            options=CAREER_DRIVER_OPTIONS,
        ),
    ),
)

#: The six RIASEC interests (O*NET Interests, Holland's types) in words a learner recognises; the name in
#: brackets is what :mod:`career_core.preferences` maps each option to.
INTEREST_OPTIONS: tuple[str, ...] = (
    "hands-on work with tools, machines, plants or animals, often outdoors (Realistic)",
    "studying, researching and solving problems with ideas and data (Investigative)",
    "creating, designing, writing or performing (Artistic)",
    "helping, teaching, advising or caring for people (Social)",
    "leading, persuading, selling or starting things (Enterprising)",
    "organising information, following clear procedures, keeping things accurate (Conventional)",
)

_STRENGTHS = ExerciseTemplate(
    key="strengths",
    title="Strengths",
    intro="Strengths are things you do well and that give you energy. Careers grow faster on "
    "strengths than on fixed weaknesses, so name yours and back each one with evidence.",
    fields=(
        ExerciseField(
            key="strengths",
            label="Strengths",
            prompt="Name at least three strengths. For each, describe a recent time you used it and what came of it.",
            kind=FieldKind.ENTRIES,
            min_items=3,
            max_items=10,
            parts=(
                EntryPart("strength", "Strength", max_length=100),
                EntryPart("example", "Example", min_words=10, max_length=1500),
            ),
        ),
        ExerciseField(
            key="use_more",
            label="Using them more",
            prompt="Where could you use one of these strengths more in the next three months?",
            kind=FieldKind.TEXT,
            min_words=10,
        ),
        ExerciseField(
            key="interests",
            label="Work you enjoy",
            prompt="Optional: choose up to three kinds of work you enjoy most, the one you enjoy most first. "
            "They are compared with what each role involves when roles are suggested to you.",
            kind=FieldKind.CHOICES,
            min_items=0,
            max_items=3,
            options=INTEREST_OPTIONS,
        ),
    ),
)

_VISION = ExerciseTemplate(
    key="personal_vision",
    title="Personal vision",
    intro="A personal vision is a picture of the working life you want in about five years. It turns "
    "a vague wish into a direction you can plan towards.",
    fields=(
        ExerciseField(
            key="vision",
            label="Five-year vision",
            prompt="Write, in the present tense, what your working life looks like five years from now: "
            "what you do, with whom, where, and why it matters to you.",
            kind=FieldKind.TEXT,
            min_words=40,
            max_length=5000,
        ),
        ExerciseField(
            key="milestones",
            label="Milestones",
            prompt="List at least three milestones on the way there, each with a rough date.",
            kind=FieldKind.TEXT_LIST,
            min_words=3,
            min_items=3,
            max_items=10,
            max_length=300,
        ),
    ),
)

_NETWORKING = ExerciseTemplate(
    key="strategic_networking",
    title="Strategic networking plan",
    intro="Most opportunities arrive through people. A networking plan names the relationships your "
    "goals depend on and the next step with each.",
    fields=(
        ExerciseField(
            key="purpose",
            label="Purpose",
            prompt="What do you want your network to help you with over the next year?",
            kind=FieldKind.TEXT,
            min_words=10,
        ),
        ExerciseField(
            key="contacts",
            label="Contacts",
            prompt="List at least five people to build or renew a relationship with: who they are to "
            "you, and the next step you will take.",
            kind=FieldKind.ENTRIES,
            min_items=5,
            max_items=30,
            parts=(
                EntryPart("name", "Name", max_length=120),
                EntryPart("relationship", "Relationship", max_length=200),
                EntryPart("next_step", "Next step", min_words=3, max_length=300),
            ),
        ),
    ),
)

EXERCISE_TEMPLATES: Mapping[str, ExerciseTemplate] = {
    template.key: template for template in (_VALUES, _STRENGTHS, _VISION, _NETWORKING)
}


def exercise_template(key: str) -> ExerciseTemplate:
    """:raise ValidationError: when no exercise has this key."""
    try:
        return EXERCISE_TEMPLATES[key]
    except KeyError:
        raise ValidationError(f"exercise: {key!r} is not one of {', '.join(EXERCISE_TEMPLATES)}") from None
