// Reflection exercises: tabs between exercises, live word counts, saving answers and showing what is missing.
(function () {
  "use strict";
  var el = CT.el;

  Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (tab) {
    tab.addEventListener("click", function () {
      Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (other) {
        other.setAttribute("aria-pressed", other === tab ? "true" : "false");
      });
      Array.prototype.forEach.call(document.querySelectorAll(".exercise"), function (box) {
        box.hidden = box.getAttribute("data-exercise") !== tab.getAttribute("data-tab");
      });
    });
  });

  function words(text) { return text.trim() ? text.trim().split(/\s+/).length : 0; }

  function updateCount(textarea) {
    var counter = textarea.parentNode.querySelector(".word-count");
    if (!counter) { return; }
    var min = parseInt(counter.getAttribute("data-min"), 10) || 0;
    var n = words(textarea.value);
    counter.textContent = n + " word" + (n === 1 ? "" : "s") + (min ? " (at least " + min + ")" : "");
    counter.classList.toggle("is-enough", n >= min);
  }

  // A ranked value can only be one of the values picked above it.
  function syncChoices(form) {
    Array.prototype.forEach.call(form.querySelectorAll("select[data-choose-from]"), function (select) {
      var source = form.querySelector('[data-field="' + select.getAttribute("data-choose-from") + '"]');
      if (!source) { return; }
      var picked = {};
      Array.prototype.forEach.call(source.querySelectorAll("input:checked"), function (box) { picked[box.value] = true; });
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = option.value !== "" && !picked[option.value];
      });
    });
  }

  function answersOf(form) {
    var answers = {};
    Array.prototype.forEach.call(form.querySelectorAll(".reflection-field"), function (field) {
      var key = field.getAttribute("data-field");
      var kind = field.getAttribute("data-kind");
      if (kind === "text") {
        answers[key] = field.querySelector("textarea").value;
      } else if (kind === "text_list") {
        answers[key] = field.querySelector("textarea").value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
      } else if (kind === "choices") {
        answers[key] = Array.prototype.map.call(field.querySelectorAll("input:checked"), function (box) { return box.value; });
      } else {
        answers[key] = [];
        Array.prototype.forEach.call(field.querySelectorAll("[data-entry]"), function (entry) {
          var row = {}, filled = false;
          Array.prototype.forEach.call(entry.querySelectorAll("[data-part]"), function (input) {
            row[input.getAttribute("data-part")] = input.value.trim();
            filled = filled || input.value.trim() !== "";
          });
          if (filled) { answers[key].push(row); }
        });
      }
    });
    return answers;
  }

  function showEvaluation(box, evaluation) {
    box.querySelector(".js-progress").value = CT.pct(evaluation.completion);
    box.querySelector(".js-progress-text").textContent = CT.pct(evaluation.completion) + "%";
    var list = box.querySelector(".js-criteria");
    CT.clear(list);
    evaluation.criteria.forEach(function (c) {
      list.appendChild(el("li", { className: c.met ? "met" : "unmet" }, [
        el("span", { className: "criterion", text: c.description }), " ",
        el("span", { className: "criterion-state", text: c.problems.length ? c.message + " " + c.problems.join("; ") : c.message })
      ]));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".reflection-form"), function (form) {
    var box = form.closest(".exercise");
    Array.prototype.forEach.call(form.querySelectorAll("textarea"), updateCount);
    syncChoices(form);
    form.addEventListener("input", function (event) { if (event.target.tagName === "TEXTAREA") { updateCount(event.target); } });
    form.addEventListener("change", function () { syncChoices(form); });

    form.addEventListener("click", function (event) {
      var button = event.target.closest(".js-add-entry");
      if (!button) { return; }
      var entries = button.parentNode.querySelector(".entries");
      var rows = entries.querySelectorAll("[data-entry]");
      if (rows.length >= parseInt(entries.getAttribute("data-max"), 10)) { CT.say("That is the most this exercise takes.", "error"); return; }
      var copy = rows[rows.length - 1].cloneNode(true);
      var number = rows.length + 1;
      copy.querySelector(".entry-number").textContent = String(number);
      Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (input) {
        var id = input.id.replace(/-\d+-([^-]+)$/, "-" + number + "-$1");
        var label = copy.querySelector('label[for="' + input.id + '"]');
        input.id = id;
        if (label) { label.setAttribute("for", id); }
        input.value = "";
      });
      entries.appendChild(copy);
      copy.querySelector("[data-part]").focus();
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      CT.busy(button, true);
      CT.api("PUT", "/reflections/" + encodeURIComponent(form.getAttribute("data-key")), { answers: answersOf(form) })
        .then(function (result) {
          showEvaluation(box, result.evaluation);
          CT.say(result.evaluation.complete ? "Saved. This exercise is complete: well done!" :
            "Saved. " + CT.pct(result.evaluation.completion) + "% complete.", "ok");
        })
        .catch(CT.fail)
        .then(function () { CT.busy(button, false); });
    });
  });
})();
