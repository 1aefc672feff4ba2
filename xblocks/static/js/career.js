/* Career Toolkit XBlocks: post each form to its handler as JSON and swap in the re-rendered body. */
(function (global) {
  "use strict";

  function rootOf(element) {
    return element && element.jquery ? element[0] : element;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function post(runtime, root, handler, payload) {
    return fetch(runtime.handlerUrl(root, handler), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (data) {
        return {ok: response.ok, data: data};
      });
    });
  }

  function valueOf(input) {
    if (input.type === "checkbox") { return input.checked; }
    if (input.hasAttribute("data-lines")) { return lines(input.value); }
    return input.value === "" ? null : input.value;
  }

  function lines(text) {
    return text.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
  }

  function row(element) {
    var item = {};
    element.querySelectorAll("[data-key]").forEach(function (input) {
      item[input.getAttribute("data-key")] = valueOf(input);
    });
    return item;
  }

  function named(form) {
    var data = {};
    form.querySelectorAll("[name]").forEach(function (input) {
      if (input.tagName !== "BUTTON") { data[input.name] = valueOf(input); }
    });
    return data;
  }

  var collectors = {
    none: function () { return {}; },
    fields: named,
    submitter: function (form, submitter) {
      return submitter ? {action: submitter.value} : {};
    },
    ratings: function (form) {
      var ratings = [];
      form.querySelectorAll("select[data-skill]").forEach(function (select) {
        if (select.value !== "") {
          ratings.push({skill_code: select.getAttribute("data-skill"), level: parseInt(select.value, 10)});
        }
      });
      return {ratings: ratings};
    },
    plan: function (form) {
      var plan = named(form);
      plan.vision = plan.vision || "";
      plan.goals = [];
      plan.actions = [];
      form.querySelectorAll("[data-row]").forEach(function (element) {
        var item = row(element);
        if (item.title) { plan[element.getAttribute("data-row") + "s"].push(item); }
      });
      return {plan: plan};
    },
    answers: function (form) {
      var answers = {};
      form.querySelectorAll("[data-field]").forEach(function (fieldset) {
        var key = fieldset.getAttribute("data-field");
        var kind = fieldset.getAttribute("data-kind");
        if (kind === "text") {
          answers[key] = fieldset.querySelector("textarea").value;
        } else if (kind === "text_list") {
          answers[key] = lines(fieldset.querySelector("textarea").value);
        } else if (kind === "choices") {
          answers[key] = Array.prototype.map.call(
            fieldset.querySelectorAll("input:checked"), function (input) { return input.value; });
        } else {
          answers[key] = [];
          fieldset.querySelectorAll("[data-entry]").forEach(function (entry) {
            var item = {};
            var filled = false;
            entry.querySelectorAll("[data-part]").forEach(function (input) {
              item[input.getAttribute("data-part")] = input.value;
              filled = filled || input.value.trim() !== "";
            });
            if (filled) { answers[key].push(item); }
          });
        }
      });
      return {answers: answers};
    }
  };

  function careerBlock(runtime, element) {
    var root = rootOf(element);
    var status = root.querySelector(".career-status");
    root.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-handler]");
      if (!form) { return; }
      event.preventDefault();
      var collect = collectors[form.getAttribute("data-collect") || "fields"];
      var payload = collect(form, event.submitter);
      var wrap = form.getAttribute("data-wrap");
      if (wrap) { var wrapped = {}; wrapped[wrap] = payload; payload = wrapped; }
      post(runtime, root, form.getAttribute("data-handler"), payload).then(function (result) {
        if (result.ok && typeof result.data.html === "string") {
          root.querySelector(".career-body").innerHTML = result.data.html;
        }
        status.textContent = result.ok ? result.data.message : result.data.error;
        status.className = "career-status " + (result.ok ? "career-ok" : "career-error");
      });
    });
  }

  function studioEditor(runtime, element) {
    var root = rootOf(element);
    var form = root.querySelector("form");
    var status = root.querySelector(".career-status");
    root.querySelector("[data-cancel]").addEventListener("click", function () {
      runtime.notify("cancel", {});
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var settings = {};
      form.querySelectorAll("[name]").forEach(function (input) {
        settings[input.name] = input.type === "checkbox" ? input.checked : input.value;
      });
      runtime.notify("save", {state: "start"});
      post(runtime, root, "save_settings", settings).then(function (result) {
        if (result.ok) {
          runtime.notify("save", {state: "end"});
        } else {
          status.textContent = result.data.error;
          runtime.notify("error", {title: "Invalid settings", message: result.data.error});
        }
      });
    });
  }

  global.CareerSelfAssessmentXBlock = careerBlock;
  global.CareerPathXBlock = careerBlock;
  global.CareerDevelopmentPlanXBlock = careerBlock;
  global.CareerReflectionXBlock = careerBlock;
  global.CareerToolkitStudioEditor = studioEditor;
})(window);
