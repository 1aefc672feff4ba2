// Career-path explorer: search roles, choose a target and current role, review the gap, see the path.
(function () {
  "use strict";
  var el = CT.el;
  var targetBox = document.getElementById("target-role");
  if (!targetBox) { return; }
  var state = {
    target: targetBox.getAttribute("data-code") || null,
    current: targetBox.getAttribute("data-current") || null
  };

  function fmt(value) { return value === null || value === undefined ? "–" : (Math.round(value * 10) / 10).toString(); }

  function showTarget(result) {
    state.target = result.target ? result.target.code : null;
    state.current = result.current ? result.current.code : null;
    targetBox.textContent = result.target ? result.target.title : "Not chosen yet";
    document.getElementById("current-role").textContent = result.current ? result.current.title : "Not chosen yet";
    document.getElementById("gap-reviewed").textContent = result.gap_reviewed ? "Yes" : "Not yet";
  }

  function saveTarget(body, message) {
    return CT.api("PUT", "/career/target", body).then(function (result) {
      showTarget(result);
      CT.say(message, "ok");
      return Promise.all([loadGap(), loadPath()]);
    }).catch(CT.fail);
  }

  function chooseTarget(code) {
    return saveTarget({ role_code: code, current_role_code: state.current }, "Target role saved.").then(function () {
      var card = document.getElementById("gap-card");
      card.scrollIntoView({ behavior: "smooth", block: "start" });
      card.focus({ preventScroll: true });
    });
  }

  function chooseCurrent(code) {
    if (!state.target) {
      state.current = code;
      CT.say("Noted. Now choose a target role to save both.", "ok");
      document.getElementById("current-role").textContent = "Chosen, saved with your target";
      return;
    }
    saveTarget({ role_code: state.target, current_role_code: code }, "Current role saved.");
  }

  function loadGap() {
    var summary = document.getElementById("gap-summary");
    var button = document.getElementById("gap-reviewed-button");
    if (!state.target) { return Promise.resolve(); }
    return CT.api("GET", "/roles/" + encodeURIComponent(state.target) + "/gap?top=5").then(function (gap) {
      summary.textContent = "Your fit with " + gap.role.title + " is " + CT.pct(gap.fit) + "%. " +
        (gap.unrated.length ? gap.unrated.length + " skills are not rated yet and count as 0." : "");
      var met = gap.items.filter(function (item) { return item.met; }).length;
      document.getElementById("gap-met").textContent = met ? met + " skills already meet the role." : "";
      button.hidden = false;
      // The bars per skill (biggest gaps first) and per skill group, drawn by the server with their tables.
      return CTCharts.load(document.getElementById("gap-chart"),
        "/pages/career-path/chart?role=" + encodeURIComponent(state.target));
    }).catch(CT.fail);
  }

  function loadPath() {
    var list = document.getElementById("path-steps");
    var summary = document.getElementById("path-summary");
    CT.clear(list);
    if (!state.target || !state.current) { return Promise.resolve(); }
    return CT.api("GET", "/career/path").then(function (path) {
      if (!path.found) { summary.textContent = "No path was found between these roles through related occupations."; return; }
      if (!path.steps.length) { summary.textContent = "You are already in your target role."; return; }
      summary.textContent = path.steps.length + " step" + (path.steps.length === 1 ? "" : "s") + " from " +
        path.from.title + " to " + path.to.title + ".";
      path.steps.forEach(function (step) {
        var gaps = step.gaps.slice(0, 3).map(function (g) { return g.skill_name + " (+" + fmt(g.gap) + ")"; });
        list.appendChild(el("li", { className: "path-step" }, [
          el("span", { className: "role-title", text: step.to.title }),
          el("span", { className: "hint", text: gaps.length ? "Skills to grow: " + gaps.join(", ") : "No big gaps on this step" })
        ]));
      });
    }).catch(CT.fail);
  }

  function roleItem(role) {
    return el("li", { className: "role-item" }, [
      el("div", { className: "role-head" }, [
        el("span", { className: "role-title", text: role.title }), " ",
        el("span", { className: "code", text: role.code })
      ]),
      el("div", { className: "row-actions" }, [
        el("button", { type: "button", className: "secondary js-target", "data-code": role.code, text: "Make this my target" }),
        el("button", { type: "button", className: "link js-current", "data-code": role.code, text: "This is my current role" })
      ])
    ]);
  }

  document.getElementById("role-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = document.getElementById("role-query").value.trim();
    var results = document.getElementById("search-results");
    CT.api("GET", "/roles?limit=8&q=" + encodeURIComponent(query)).then(function (found) {
      CT.clear(results);
      if (!found.roles.length) { results.appendChild(el("li", { className: "empty", text: "No roles match \u201c" + query + "\u201d." })); }
      found.roles.forEach(function (role) { results.appendChild(roleItem(role)); });
    }).catch(CT.fail);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.classList.contains("js-target")) { chooseTarget(button.getAttribute("data-code")); }
    if (button.classList.contains("js-current")) { chooseCurrent(button.getAttribute("data-code")); }
  });

  document.getElementById("gap-reviewed-button").addEventListener("click", function () {
    saveTarget({ role_code: state.target, current_role_code: state.current, gap_reviewed: true },
      "Thanks: the gap is marked as reviewed.");
  });

  loadGap();
  loadPath();
})();
