"""Launch renderers for each component (learner and instructor) and the page endpoints they use.

Pages authenticate with the launch token, never a cookie: the page's JS sends it as a bearer token, and the
few form posts (deep-linking response, the instructor's choice of role) carry it in a hidden field. The token
is per launch and unguessable, which also makes those posts safe from cross-site request forgery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, current_app, make_response, render_template, request
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from lti_app import keyring
from lti_app.career import profile
from lti_app.career.access import is_staff, own
from lti_app.career.errors import CareerServiceError, InvalidInput
from lti_app.input_guard import MAX_DATABASE_ID
from lti_app.launch_tokens import InvalidLaunchToken, session_for_token
from lti_app.lti import deep_linking
from lti_app.lti.claims import DEEP_LINKING_REQUEST
from lti_app.models.people import LaunchSession
from lti_app.pages import data, fragments
from lti_app.pages.deep_linking_form import CHOICES, find_role_code, selections_from_form
from lti_app.security_headers import frame_only_by

bp = Blueprint("pages", __name__)
bp.add_app_template_global(fragments.level_key, "level_key")
bp.add_app_template_global(fragments.skill_key, "skill_key")
bp.add_app_template_global(fragments.skill_rating, "skill_rating")
bp.add_app_template_global(fragments.assessment_form, "assessment_form")

Renderer = Callable[[LaunchSession, str], str]
MAX_ROLE_CODE = 20  # O*NET-SOC codes are 10 characters; the API's role arguments allow 20


MAX_PAGE = 1_000_000


def _page(template: str, session: LaunchSession, token: str, **context: Any) -> str:
    return render_template(
        template,
        session=session,
        api_token=token,
        component_titles=data.COMPONENT_TITLES,
        **context,
    )


def _guarded(build: Callable[[LaunchSession, str], str]) -> Renderer:
    """Show a service refusal (no course context, say) as a friendly card instead of failing the launch."""

    def render(session: LaunchSession, token: str) -> str:
        try:
            return build(session, token)
        except CareerServiceError as error:
            return render_template("pages/problem.html", session=session, message=error.message)

    return render


def _component(kind: str, learner_view: Callable[[LaunchSession, str], str]) -> Renderer:
    def render(session: LaunchSession, token: str) -> str:
        if is_staff(session):
            return render_instructor(session, token)
        return learner_view(session, token)

    render.__name__ = f"render_{kind}"
    return _guarded(render)


def render_instructor(
    session: LaunchSession,
    token: str,
    role_code: str | None = None,
    *,
    typed: str | None = None,
    problem: RoleProblem | None = None,
    page_number: int = 1,
) -> str:
    page = data.instructor(session, role_code, page_number)
    return _page("pages/instructor.html", session, token, **page, role_typed=typed, role_problem=problem)


@dataclass(frozen=True)
class RoleProblem:
    """What a role box shows after a miss: the message and the "did you mean" choices."""

    message: str
    suggestions: list[dict[str, Any]]
    field: str = "role"

    @classmethod
    def of(cls, error: Exception) -> RoleProblem:
        from lti_app.career.careers import UnknownRole

        if isinstance(error, UnknownRole):
            return cls(error.message, error.suggestions, error.field)
        return cls(getattr(error, "message", str(error)), [], "")


def _self_assessment(session: LaunchSession, token: str) -> str:
    page = data.self_assessment(session)
    raw = page.pop("chart", None)
    chart = Markup(raw) if raw else None  # noqa: S704 (career_core's SVG escapes every text)
    return _page("pages/self_assessment.html", session, token, chart=chart, **page)


def _career_path(
    session: LaunchSession,
    token: str,
    *,
    query: str = "",
    notice: str | None = None,
    problem: str | None = None,
    pending: str = "",
) -> str:
    return _page(
        "pages/career_path.html",
        session,
        token,
        **data.career_path(session),
        search=data.role_search(query),
        notice=notice,
        problem=problem,
        pending_current=pending,
    )


def _development_plan(session: LaunchSession, token: str) -> str:
    return _page(
        "pages/development_plan.html",
        session,
        token,
        **data.development_plan(session),
        status_labels=data.STATUS_LABELS,
        action_labels=data.ACTION_LABELS,
        action_status_labels=data.ACTION_STATUS_LABELS,
    )


def _reflection(session: LaunchSession, token: str) -> str:
    return _page("pages/reflection.html", session, token, **data.reflection(session))


def _home(session: LaunchSession, token: str) -> str:
    if is_staff(session):
        return render_instructor(session, token)
    return _page("pages/home.html", session, token, **data.learner_home(session), status_labels=data.STATUS_LABELS)


def render_deep_linking(
    session: LaunchSession, token: str, form: MultiDict[str, str] | None = None, problem: RoleProblem | None = None
) -> str:
    """The picker; after a refused post, again with everything the author chose and what to fix."""
    from career_core.exercises import EXERCISE_TEMPLATES
    from lti_app.career import careers

    try:
        settings = deep_linking.DeepLinkingSettings.from_claims(session.claims)
        refusal = None if settings.accepts_resource_links else _refusal(settings)
    except deep_linking.DeepLinkingRefused as error:
        settings, refusal = None, error.message
    return _page(
        "pages/deep_linking.html",
        session,
        token,
        settings=settings,
        refusal=refusal,
        choices=CHOICES,
        skills=careers.catalog().framework.skills,
        skill_groups=_skill_groups(careers.catalog().framework.skills),
        exercises=EXERCISE_TEMPLATES.values(),
        form=form if form is not None else MultiDict(),
        problem=problem,
    )


def _skill_groups(skills: Any) -> list[tuple[str, list[Any]]]:
    """Skills by category, framework order kept (the picker lists them as the self-assessment will)."""
    groups: dict[str, list[Any]] = {}
    for skill in skills:
        groups.setdefault(skill.category or "Skills", []).append(skill)
    return list(groups.items())


def _refusal(settings: deep_linking.DeepLinkingSettings) -> str:
    try:
        deep_linking.check_selection(settings, [deep_linking.ActivitySelection("self_assessment", "x")])
    except deep_linking.DeepLinkingRefused as error:
        return error.message
    return ""


RENDERERS: dict[str, Renderer] = {
    "self_assessment": _component("self_assessment", _self_assessment),
    "career_path": _component("career_path", _career_path),
    "development_plan": _component("development_plan", _development_plan),
    "reflection": _component("reflection", _reflection),
    "home": _guarded(_home),
    "deep_linking": render_deep_linking,
}


# --- endpoints the pages use ---------------------------------------------------------------------------------


def form_number(name: str) -> int:
    """A whole number from a form field (a record id, a capacity, a rating); 0, which names no record and no
    valid choice, when the field holds none the id columns can hold (``input_guard``)."""
    return _whole_number(request.form.get(name, ""))


def form_numbers(name: str) -> list[int]:
    """Every whole number a repeated form field holds (ticked record ids), the unreadable ones left out."""
    return [number for raw in request.form.getlist(name) if (number := _whole_number(raw))]


def _whole_number(raw: str) -> int:
    if not raw.isdigit() or len(raw) > len(str(MAX_DATABASE_ID)):
        return 0
    number = int(raw)
    return number if number <= MAX_DATABASE_ID else 0


def refusal(error: CareerServiceError) -> str:
    """What a page says when a form is refused: for invalid input, each field's reasons, not just "not valid"."""
    if isinstance(error, InvalidInput) and error.errors:
        return "; ".join(
            f"{field.rpartition('.')[2].replace('_', ' ')}: {', '.join(messages)}"
            if field != "_schema"
            else ", ".join(messages)
            for field, messages in error.errors.items()
        )
    return error.message


def _framed(html: str, session: LaunchSession, status: int = 200) -> Response:
    """A page shown in the LMS iframe: only the launching platform may frame it; never cached (it holds a token)."""
    response = make_response(html, status)
    frame_only_by(response, [session.platform])
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_session() -> LaunchSession:
    """The launch behind the form's ``token`` field. :raise 401: missing, forged or expired."""
    try:
        return session_for_token(request.form.get("token", ""))
    except InvalidLaunchToken as error:
        abort(401, str(error))


def _bearer_session() -> LaunchSession:
    """The launch behind ``Authorization: Bearer``. :raise 401: missing, forged or expired."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        abort(401, "Send the launch token as 'Authorization: Bearer <token>'.")
    try:
        return session_for_token(token.strip())
    except InvalidLaunchToken as error:
        abort(401, str(error))


def _chart_fragment(html: str) -> Response:
    """Charts as an HTML fragment for a page's script to put in place (career_core escapes every text)."""
    response = make_response(html)
    response.mimetype = "text/html"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/pages/self-assessment/chart")
def self_assessment_chart() -> Response:
    """The caller's charts (gap bars, skill groups, progress; drawn by career_core) against ``?role=`` or the
    placement's target role, as an HTML fragment.

    :raise 401: no valid launch token. :raise 404: no framework, or nothing rated yet.
    """
    session = _bearer_session()
    try:
        subject = own(session)
        view = data.framework_view(session)
        role = data.role_or_none(request.args.get("role")) or data.target_role(session, subject)
        html = data.charts_html(session, view, role["code"] if role else None, subject) if view else None
    except CareerServiceError as error:
        abort(error.status, error.message)
    if html is None:
        abort(404, "Nothing to chart yet.")
    return _chart_fragment(html)


@bp.get("/pages/career-path/chart")
def career_path_chart() -> Response:
    """The caller's skills against the role ``?role=`` (gap bars and skill groups), as an HTML fragment.

    :raise 401: no valid launch token. :raise 400: no role, or not a code. :raise 404: no such role.
    """
    session = _bearer_session()
    code = request.args.get("role", "").strip()
    if not code or len(code) > MAX_ROLE_CODE:
        abort(400, "Say which role to chart with ?role=<O*NET-SOC code>.")
    try:
        html = data.career_path_charts_html(session, code, own(session))
    except CareerServiceError as error:
        abort(error.status, error.message)
    return _chart_fragment(html)


@bp.post("/pages/career-path")
def career_path_view() -> Response:
    """The explorer again, with the results of a role search (``q``): how the explorer works without script.

    :raise 401: no valid launch token.
    """
    session = _form_session()
    if is_staff(session):
        return _framed(render_instructor(session, request.form["token"]), session)
    html = _guarded(lambda s, t: _career_path(s, t, query=request.form.get("q", "")))(session, request.form["token"])
    return _framed(html, session)


@bp.post("/pages/career-path/target")
def career_path_target() -> Response:
    """Choose a target (``target``) and/or current role (``current``) from a form; re-render the explorer.

    A current role chosen before any target is kept until the target is chosen (``pending_current``).
    :raise 401: no valid launch token. :raise 400: not a rated O*NET occupation (the explorer says which).
    """
    from lti_app.career import careers

    session = _form_session()
    token = request.form["token"]
    query = request.form.get("q", "")
    target = request.form.get("target", "").strip()
    current = request.form.get("current", "").strip() or request.form.get("pending_current", "").strip()
    chosen = careers.target_of(session)
    try:
        if not target and chosen["target"]:
            target = chosen["target"]["code"]
            current = current or (chosen["current"]["code"] if chosen["current"] else "")
        elif target and not current and chosen["current"]:
            current = chosen["current"]["code"]
        if not target:
            notice = "Noted. Now choose a target role to save both." if current else None
            return _framed(_career_path(session, token, query=query, notice=notice, pending=current), session)
        careers.set_target(session, target, current_role_code=current or None)
    except CareerServiceError as error:
        message = getattr(error, "errors", None)
        text = " ".join(m for ms in message.values() for m in ms) if isinstance(message, dict) else error.message
        return _framed(_career_path(session, token, query=query, problem=text), session, error.status)
    return _framed(_career_path(session, token, query=query, notice="Saved."), session)


@bp.post("/pages/roles")
def role_view() -> Response:
    """The page of one O*NET occupation (``code``), rated or not. :raise 401: :raise 404: no such occupation."""
    from lti_app.career.errors import NotFound

    session = _form_session()
    token = request.form["token"]
    try:
        page = data.role_page(request.form.get("code", "").strip())
    except NotFound as error:
        return _framed(render_template("pages/problem.html", session=session, message=error.message), session, 404)
    return _framed(_page("pages/role.html", session, token, **page), session)


@bp.post("/pages/instructor")
def instructor_view() -> Response:
    """Re-render the instructor view for another target role (``role``) or another page of learners (``page``).

    :raise 401: :raise 403: not staff. :raise 400: a page that is not a whole number from 1.
    """
    session = _form_session()
    if not is_staff(session):
        abort(403, "Only instructors and administrators see the cohort.")
    from lti_app.career.careers import UnknownRole

    page_text = request.form.get("page", "1").strip()
    if not page_text.isdigit() or not 1 <= int(page_text) <= MAX_PAGE:
        abort(400, "Choose a page of learners by its number, from 1.")
    page_number = int(page_text)
    typed = request.form.get("role_choice") or request.form.get("role", "")
    try:
        role_code = find_role_code(typed)
    except UnknownRole as error:
        html = render_instructor(session, request.form["token"], typed=typed, problem=RoleProblem.of(error))
        return _framed(html, session, 400)
    return _framed(render_instructor(session, request.form["token"], role_code, page_number=page_number), session)


def _problem(session: LaunchSession, error: deep_linking.DeepLinkingRefused) -> Response:
    return _framed(render_template("pages/problem.html", session=session, message=error.message), session, 400)


@bp.post("/lti/deep-linking/response")
def deep_linking_response() -> Response:
    """Sign the author's picks as an LtiDeepLinkingResponse and post it back to the platform.

    :raise 401: no valid launch token. :raise 403: the launch was not a deep-linking request.
    :raise 400: links not accepted, several where one is allowed, or a bad setting.
    """
    session = _form_session()
    if session.message_type != DEEP_LINKING_REQUEST:
        abort(403, "This launch is not a deep-linking request; add activities from your course's editing mode.")
    if not is_staff(session):
        abort(403, "Only instructors and administrators may add activities.")
    from lti_app.career.careers import UnknownRole

    try:
        settings = deep_linking.DeepLinkingSettings.from_claims(session.claims)
    except deep_linking.DeepLinkingRefused as error:
        return _problem(session, error)
    try:
        selections = selections_from_form(request.form)
        claims = deep_linking.response_claims(
            client_id=session.platform.client_id,
            issuer=session.platform.issuer,
            deployment_id=session.deployment.deployment_id,
            settings=settings,
            selections=selections,
            launch_url=current_app.config["BASE_URL"] + "/lti/launch",
        )
    except (deep_linking.DeepLinkingRefused, UnknownRole) as error:
        # Nothing the author chose is lost: the picker comes back filled in, with what to fix.
        html = render_deep_linking(session, request.form["token"], request.form, RoleProblem.of(error))
        return _framed(html, session, 400)
    keyring.ensure_active_key(current_app.config["SECRET_KEY"])  # a fresh install signs with its first key
    kid, pem = keyring.signing_material(current_app.config["SECRET_KEY"])
    html = render_template(
        "pages/deep_linking_return.html",
        return_url=settings.return_url,
        jwt=deep_linking.sign_response(claims, kid, pem),
        titles=[s.title for s in selections],
    )
    return _framed(html, session)


# --- the learner's profile and data (form posts carrying the launch token) ------------------------------------

SHARE_LABELS = {
    "assessments": "Self-assessments",
    "evidence": "Skill evidence",
    "plans": "Development plans",
    "reflections": "Reflections",
    "targets": "Target roles",
}


def _profile_page(session: LaunchSession, status: int = 200, **context: Any) -> Response:
    html = _page(
        "pages/profile.html",
        session,
        request.form["token"],
        profile=profile.profile_of(session),
        reads=profile.my_record_reads(session)["reads"][:20],
        share_labels=SHARE_LABELS,
        on_profile_page=True,
        **context,
    )
    return _framed(html, session, status)


def _profile_action(action: Callable[[LaunchSession], dict[str, Any]], done: str) -> Response:
    """Run a profile change and show the page again; a refused change shows why, with 4xx. :raise 401:"""
    session = _form_session()
    try:
        action(session)
    except CareerServiceError as error:
        return _profile_page(session, error.status, problem=refusal(error))
    return _profile_page(session, message=done)


@bp.post("/pages/profile")
def profile_page() -> Response:
    """The learner's platforms, sharing, record reads and data download. :raise 401:"""
    return _profile_page(_form_session())


@bp.post("/pages/profile/link-code")
def profile_link_code() -> Response:
    """Show a new one-time link code. :raise 401:"""
    session = _form_session()
    return _profile_page(session, link_code=profile.create_link_code(session))


@bp.post("/pages/profile/link")
def profile_link() -> Response:
    """Link the identity whose code is entered. :raise 401: (400/409 re-render the page with the reason)."""
    code = request.form.get("code", "")
    done = "Linked: your records from both platforms are together."
    return _profile_action(lambda s: profile.redeem_link_code(s, code), done)


@bp.post("/pages/profile/unlink")
def profile_unlink() -> Response:
    """Unlink one identity. :raise 401:"""
    raw = request.form.get("identity_id", "")
    identity = int(raw) if raw.isdigit() else -1
    return _profile_action(lambda s: profile.unlink(s, identity), "Unlinked.")


@bp.post("/pages/profile/shares")
def profile_shares() -> Response:
    """Save what this course's staff may see (ticked kinds shared, the rest not). :raise 401:"""
    ticked = set(request.form.getlist("share"))
    wanted = {kind: kind in ticked for kind in SHARE_LABELS} | dict.fromkeys(ticked - set(SHARE_LABELS), True)
    return _profile_action(lambda s: profile.set_shares(s, wanted), "Saved.")


@bp.post("/pages/profile/export")
def profile_export() -> Response:
    """Download everything held about the learner as one JSON file. :raise 401:"""
    session = _form_session()
    response = make_response(profile.export_json(profile.export(session)))
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = f'attachment; filename="{profile.EXPORT_FILENAME}"'
    response.headers["Cache-Control"] = "no-store"
    return response
