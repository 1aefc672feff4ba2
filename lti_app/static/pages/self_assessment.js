// Self-assessment: show each chosen level's meaning, save the ratings, then redraw the server-rendered chart.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form) { return; }
  var fieldsets = Array.prototype.slice.call(form.querySelectorAll("fieldset.skill"));

  function updateCount() {
    var rated = fieldsets.filter(function (fs) { return fs.querySelector("input:checked"); }).length;
    document.getElementById("rated-count").textContent = String(rated);
    document.getElementById("rated-meter").value = rated;
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.classList.contains("level-input")) { return; }
    var fieldset = input.closest("fieldset");
    var key = document.querySelector('.levels-key [data-level="' + CSS.escape(input.value) + '"]');
    fieldset.querySelector(".chosen").textContent =
      key.getAttribute("data-name") + ": " + key.querySelector("dd").textContent;
    fieldset.classList.add("is-rated");
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
    CT.api("POST", "/assessments", { ratings: ratings })
      .then(function (result) {
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
