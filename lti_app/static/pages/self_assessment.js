// Self-assessment: show what the chosen level looks like in that skill, count progress per group, keep unsaved
// choices in this browser (a draft: restored on reload, never a completion), save, then redraw the chart.
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

  // --- the draft: choices not saved yet, per learner and placement, in this browser only ---
  function storage() {
    try { return draftKey ? window.localStorage : null; } catch (e) { return null; }
  }

  function readDraft() {
    var store = storage();
    if (!store) { return {}; }
    try { return JSON.parse(store.getItem(draftKey) || "{}") || {}; } catch (e) { return {}; }
  }

  function writeDraft(draft) {
    var store = storage();
    if (!store) { return; }
    try {
      if (Object.keys(draft).length) { store.setItem(draftKey, JSON.stringify(draft)); }
      else { store.removeItem(draftKey); }
    } catch (e) { /* storage full or blocked: the form still works, only the draft is not kept */ }
  }

  var draft = readDraft();
  var restored = 0;
  fieldsets.forEach(function (fs) {
    var level = draft[fs.getAttribute("data-skill")];
    if (level === undefined) { return; }
    var input = fs.querySelector('input.level-input[value="' + CSS.escape(String(level)) + '"]');
    if (!input) { return; }
    if (!input.checked) { restored += 1; }
    input.checked = true;
    showChosen(input);
  });
  if (restored) {
    var note = document.getElementById("draft-note");
    note.textContent = "Restored " + restored + " unsaved rating" + (restored === 1 ? "" : "s") +
      " from your last visit. Save to keep them.";
    note.hidden = false;
  }
  updateCount();

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.classList.contains("level-input")) { return; }
    showChosen(input);
    draft[input.closest("fieldset").getAttribute("data-skill")] = parseInt(input.value, 10);
    writeDraft(draft);
    updateCount();
  });

  function showChart() {
    var chart = document.getElementById("chart");
    var role = chart.getAttribute("data-role");
    var url = "/pages/self-assessment/chart" + (role ? "?role=" + encodeURIComponent(role) : "");
    return CT.request("GET", url, undefined, "image/svg+xml").then(function (response) {
      if (!response.ok) { return; }
      return response.text().then(function (text) {
        // Parsed as XML and imported node by node: the SVG comes from career_core, which escapes every text.
        var doc = new DOMParser().parseFromString(text, "image/svg+xml");
        if (doc.getElementsByTagName("parsererror").length) { return; }
        CT.clear(chart);
        chart.appendChild(document.importNode(doc.documentElement, true));
      });
    });
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
    CT.api("POST", "/assessments", { ratings: ratings })
      .then(function (result) {
        draft = {};
        writeDraft(draft);
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
