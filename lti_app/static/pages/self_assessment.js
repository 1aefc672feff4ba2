// Self-assessment: show what the chosen level looks like in that skill, count progress per group, keep unsaved
// choices as a draft (on the server; restored on reload; never a completion), save, then redraw the chart.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form) { return; }
  var fieldsets = Array.prototype.slice.call(form.querySelectorAll("fieldset.skill"));
  var draftKey = form.getAttribute("data-draft-key");

  function updateCount() {
    var rated = fieldsets.filter(function (fs) { return fs.querySelector("input:checked"); }).length;
    document.getElementById("rated-count").textContent = String(rated);
    document.getElementById("rated-meter").value = rated;
    Array.prototype.forEach.call(form.querySelectorAll(".skill-group"), function (group) {
      var done = group.querySelectorAll("fieldset.skill input:checked").length;
      group.querySelector(".js-group-rated").textContent = String(done);
    });
  }

  function showChosen(input) {
    var fieldset = input.closest("fieldset");
    // Each input carries its level's meaning in this skill (O*NET Level Scale Anchors, from career_core).
    fieldset.querySelector(".chosen").textContent = input.getAttribute("data-meaning");
    fieldset.classList.add("is-rated");
  }

  // --- the draft: choices not submitted yet. Kept on the server per learner (the page comes back with them);
  // when the server cannot be reached, in this browser's storage where the LMS frame allows it.
  function storage() {
    try { return draftKey ? window.localStorage : null; } catch (e) { return null; }
  }

  function localDraft(value) {
    var store = storage();
    if (!store) { return {}; }
    try {
      if (value === undefined) { return JSON.parse(store.getItem(draftKey) || "{}") || {}; }
      if (value === null) { store.removeItem(draftKey); } else { store.setItem(draftKey, JSON.stringify(value)); }
    } catch (e) { /* storage full or blocked */ }
    return {};
  }

  function choices() {
    var ratings = [];
    fieldsets.forEach(function (fs) {
      var checked = fs.querySelector("input:checked");
      if (checked) { ratings.push({ skill_code: fs.getAttribute("data-skill"), level: parseInt(checked.value, 10) }); }
    });
    return ratings;
  }

  var draftTimer = null;
  function keepDraft() {
    window.clearTimeout(draftTimer);
    draftTimer = window.setTimeout(function () {
      var ratings = choices();
      CT.api("PUT", "/assessments/draft", { ratings: ratings }).then(function () { localDraft(null); })
        .catch(function () {
          var copy = {};
          ratings.forEach(function (r) { copy[r.skill_code] = r.level; });
          localDraft(copy);
        });
    }, 500);
  }

  // A browser copy left by an earlier failed save: apply what the server did not get.
  var pending = localDraft();
  Object.keys(pending).forEach(function (code) {
    var fs = form.querySelector('fieldset.skill[data-skill="' + CSS.escape(code) + '"]');
    var input = fs && fs.querySelector('input.level-input[value="' + CSS.escape(String(pending[code])) + '"]');
    if (input && !input.checked) { input.checked = true; showChosen(input); }
  });
  updateCount();

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.classList.contains("level-input")) { return; }
    showChosen(input);
    keepDraft();
    updateCount();
  });

  function showChart() {
    var chart = document.getElementById("chart");
    var role = chart.getAttribute("data-role");
    var url = "/pages/self-assessment/chart" + (role ? "?role=" + encodeURIComponent(role) : "");
    return CTCharts.load(chart, url);
  }

  var compare = document.getElementById("compare-role");
  compare.addEventListener("change", function () {
    document.getElementById("chart").setAttribute("data-role", compare.value);
    showChart().catch(CT.fail);
  });

  // After new ratings the best-fitting roles change: offer them as comparisons (the chosen one stays first).
  function refreshCompare() {
    return CT.api("GET", "/career/next-roles?limit=5&explain=0").then(function (ranked) {
      var chart = document.getElementById("chart");
      var chosen = chart.getAttribute("data-role");
      var keep = chosen ? compare.querySelector('option[value="' + CSS.escape(chosen) + '"]') : null;
      var keepText = keep ? keep.textContent : null;
      CT.clear(compare);
      if (keep) { compare.appendChild(CT.el("option", { value: chosen, text: keepText })); }
      ranked.roles.forEach(function (role) {
        if (role.code === chosen) { return; }
        compare.appendChild(CT.el("option", { value: role.code, text: role.title + " (" + CT.pct(role.fit) + "% fit)" }));
      });
      if (!chosen && ranked.roles.length) { chart.setAttribute("data-role", ranked.roles[0].code); }
      compare.value = chart.getAttribute("data-role");
      compare.closest(".compare-row").hidden = compare.options.length === 0;
    }).catch(function () { return null; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var ratings = [];
    fieldsets.forEach(function (fs) {
      var checked = fs.querySelector("input:checked");
      if (checked) { ratings.push({ skill_code: fs.getAttribute("data-skill"), level: parseInt(checked.value, 10) }); }
    });
    if (!ratings.length) { CT.say("Rate at least one skill before saving.", "error"); return; }
    var button = document.getElementById("save-ratings");
    CT.busy(button, true);
    window.clearTimeout(draftTimer);  // the sitting replaces the draft (the server deletes it)
    CT.api("POST", "/assessments", { ratings: ratings })
      .then(function (result) {
        localDraft(null);
        document.getElementById("draft-note").hidden = true;
        CT.say(result.complete ? "Saved. Every skill is rated: well done!"
          : "Saved. " + ratings.length + " of " + fieldsets.length + " skills rated.", "ok");
        return refreshCompare().then(showChart);
      })
      .then(function () {
        var card = document.getElementById("chart-card");
        card.scrollIntoView({ behavior: "smooth", block: "start" });
        card.focus({ preventScroll: true });
      })
      .catch(CT.fail)
      .then(function () { CT.busy(button, false); });
  });
})();
