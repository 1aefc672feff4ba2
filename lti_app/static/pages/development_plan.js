// Development plan: goals, actions, check-ins and the review workflow, all through /api/v1/plans.
(function () {
  "use strict";
  var el = CT.el;
  var labelsNode = document.getElementById("labels");
  if (!labelsNode) { return; }
  function data(name) { return JSON.parse(labelsNode.getAttribute("data-" + name) || "{}"); }
  var STATUS = data("status"), ACTIONS = data("actions"), ACTION_STATUS = data("action-status"), KINDS = data("kinds");
  var skillNames = {};
  var codes = data("skill-codes"), names = data("skills");
  (codes || []).forEach(function (code, i) { skillNames[code] = names[i]; });
  var plan = null;

  function today() { return new Date().toISOString().slice(0, 10); }
  function orNull(value) { return value === "" || value === undefined ? null : value; }
  function formValue(form, name) { var f = form.elements[name]; return f ? f.value.trim() : ""; }

  function render(p) {
    plan = p;
    document.getElementById("start-card").hidden = true;
    document.getElementById("plan").hidden = false;
    var badge = document.getElementById("plan-status");
    badge.textContent = STATUS[p.status] || p.status;
    badge.className = "badge status-" + p.status;
    document.getElementById("plan-vision").textContent = p.vision || "";
    document.getElementById("plan-progress").value = CT.pct(p.progress);
    document.getElementById("plan-progress-text").textContent = CT.pct(p.progress) + "%";

    var workflow = document.getElementById("workflow");
    CT.clear(workflow);
    var stepBack = { cancel_review_request: true, send_back: true, reopen: true };
    p.allowed_actions.forEach(function (action) {
      workflow.appendChild(el("button", {
        type: "button", className: stepBack[action] ? "secondary" : "", "data-action": action, text: ACTIONS[action] || action
      }));
    });
    if (p.status === "waiting_for_review" || p.status === "in_review") {
      workflow.appendChild(el("p", { className: "hint", text: "Your instructor has been asked to review this plan." }));
    }

    var overdue = {};
    p.overdue_goal_ids.forEach(function (id) { overdue[id] = true; });
    var list = document.getElementById("goals");
    CT.clear(list);
    document.getElementById("no-goals").hidden = p.goals.length > 0;
    var goalSelect = document.getElementById("action-goal");
    CT.clear(goalSelect);
    p.goals.forEach(function (goal) {
      goalSelect.appendChild(el("option", { value: goal.id, text: goal.title }));
      var meta = [];
      if (goal.skill_code) { meta.push((skillNames[goal.skill_code] || goal.skill_code) + (goal.target_level !== null && goal.target_level !== undefined ? " to level " + goal.target_level : "")); }
      if (goal.due_date) { meta.push("due " + goal.due_date); }
      var checkId = "goal-done-" + goal.id;
      var actions = p.actions.filter(function (a) { return a.goal_id === goal.id; });
      list.appendChild(el("li", { className: "goal" + (goal.achieved ? " is-achieved" : "") + (overdue[goal.id] ? " is-overdue" : "") }, [
        el("div", { className: "goal-head" }, [
          el("input", { type: "checkbox", id: checkId, className: "js-goal-done", "data-goal": goal.id, checked: goal.achieved }),
          el("label", { "for": checkId, className: "goal-title", text: goal.title })
        ]),
        el("p", { className: "goal-meta" }, [
          meta.join(" · "),
          overdue[goal.id] ? el("span", { className: "badge status-overdue", text: "Overdue" }) : null
        ]),
        actions.length ? el("ul", { className: "action-list" }, actions.map(function (action) {
          var selectId = "action-status-" + action.id;
          var select = el("select", { id: selectId, className: "js-action-status", "data-action-id": action.id },
            Object.keys(ACTION_STATUS).map(function (value) {
              return el("option", { value: value, text: ACTION_STATUS[value], selected: value === action.status });
            }));
          return el("li", { className: "action" }, [
            el("span", { className: "action-kind", text: KINDS[action.kind] || action.kind }),
            action.url ? el("a", { href: action.url, target: "_blank", rel: "noopener", text: action.title }) : el("span", { text: action.title }),
            action.due_date ? el("span", { className: "muted", text: " · due " + action.due_date }) : null,
            el("label", { "for": selectId, className: "sr-only", text: "Status of " + action.title }),
            select
          ]);
        })) : null
      ]));
    });
    document.getElementById("action-block").hidden = p.goals.length === 0;
    // The goal form stays open while there is nothing else to look at.
    document.getElementById("goal-form").closest("details").open = p.goals.length === 0;
  }

  function renderCheckins(items) {
    var list = document.getElementById("checkins");
    CT.clear(list);
    if (!items.length) { list.appendChild(el("li", { className: "empty", text: "No check-ins yet." })); }
    items.forEach(function (c) {
      list.appendChild(el("li", { className: "checkin" }, [
        el("p", { className: "checkin-head" }, [
          el("strong", { text: c.held_on }), " · ", c.author_name + " (" + c.author_role + ")",
          c.agenda_template ? " · " + (document.querySelector('#checkin-agenda option[value="' + c.agenda_template + '"]') || {}).textContent : ""
        ]),
        c.notes ? el("p", { className: "checkin-notes", text: c.notes }) : null,
        c.agreed_actions.length ? el("ul", {}, c.agreed_actions.map(function (a) { return el("li", { text: a }); })) : null
      ]));
    });
  }

  function loadCheckins() {
    return CT.api("GET", "/plans/" + plan.id + "/checkins").then(function (r) { renderCheckins(r.checkins); });
  }

  function save(promise, message, form) {
    var button = form ? form.querySelector("button[type=submit]") : null;
    CT.busy(button, true);
    return promise.then(function (p) { render(p); CT.say(message, "ok"); if (form) { form.reset(); } })
      .catch(CT.fail).then(function () { CT.busy(button, false); });
  }

  document.getElementById("start-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var body = { vision: formValue(form, "vision"), goals: [], actions: [] };
    if (form.elements.target_role_code) { body.target_role_code = form.elements.target_role_code.value; }
    save(CT.api("POST", "/plans", body), "Your plan is started. Add your first goal.").then(loadCheckins);
  });

  document.getElementById("goal-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var level = formValue(form, "target_level");
    save(CT.api("POST", "/plans/" + plan.id + "/goals", {
      title: formValue(form, "title"),
      skill_code: orNull(formValue(form, "skill_code")),
      target_level: level === "" ? null : parseInt(level, 10),
      due_date: orNull(formValue(form, "due_date"))
    }), "Goal added.", form);
  });

  document.getElementById("action-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    save(CT.api("POST", "/plans/" + plan.id + "/actions", {
      goal_id: formValue(form, "goal_id"),
      kind: formValue(form, "kind"),
      title: formValue(form, "title"),
      due_date: orNull(formValue(form, "due_date")),
      url: orNull(formValue(form, "url"))
    }), "Action added.", form);
  });

  document.getElementById("plan").addEventListener("change", function (event) {
    var target = event.target;
    if (target.classList.contains("js-goal-done")) {
      var goals = plan.goals.map(function (g) {
        if (g.id !== target.getAttribute("data-goal")) { return g; }
        return Object.assign({}, g, { achieved: target.checked, achieved_at: target.checked ? today() : null });
      });
      save(CT.api("PATCH", "/plans/" + plan.id, { goals: goals }), target.checked ? "Goal achieved: well done!" : "Goal reopened.");
    }
    if (target.classList.contains("js-action-status")) {
      var actions = plan.actions.map(function (a) {
        return a.id === target.getAttribute("data-action-id") ? Object.assign({}, a, { status: target.value }) : a;
      });
      save(CT.api("PATCH", "/plans/" + plan.id, { actions: actions }), "Action updated.");
    }
  });

  document.getElementById("workflow").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    var action = button.getAttribute("data-action");
    save(CT.api("POST", "/plans/" + plan.id + "/transitions", { action: action }),
      action === "request_review" ? "Submitted for review." : "Plan updated.");
  });

  var agenda = document.getElementById("checkin-agenda");
  agenda.addEventListener("change", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".agenda"), function (box) {
      box.hidden = box.id !== "agenda-" + agenda.value;
    });
  });

  document.getElementById("checkin-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var button = form.querySelector("button[type=submit]");
    CT.busy(button, true);
    CT.api("POST", "/plans/" + plan.id + "/checkins", {
      held_on: formValue(form, "held_on"),
      agenda_template: orNull(formValue(form, "agenda_template")),
      notes: formValue(form, "notes"),
      agreed_actions: formValue(form, "agreed_actions").split("\n").map(function (s) { return s.trim(); }).filter(Boolean)
    }).then(function () {
      form.reset();
      form.elements.held_on.value = today();
      CT.say("Check-in saved.", "ok");
      return loadCheckins();
    }).catch(CT.fail).then(function () { CT.busy(button, false); });
  });

  document.getElementById("checkin-date").value = today();
  CT.api("GET", "/plans").then(function (result) {
    if (!result.plans.length) { document.getElementById("start-card").hidden = false; return; }
    render(result.plans[result.plans.length - 1]);
    return loadCheckins();
  }).catch(CT.fail);
})();
