// Role boxes (input[data-role-suggest]): matching O*NET occupations as the person types, from /api/v1/roles.
// Without this script the box still works: the form posts, and a miss comes back with a "did you mean" list.
(function () {
  "use strict";
  var el = CT.el;
  var counter = 0;

  function attach(input) {
    counter += 1;
    var listId = "role-suggest-" + counter;
    var list = el("ul", { id: listId, role: "listbox", className: "suggest-list", hidden: true });
    list.setAttribute("aria-label", "Matching roles");
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var timer = null;
    var active = -1;
    var latest = 0;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) { return; }
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      input.value = option.getAttribute("data-value");
      input.removeAttribute("aria-invalid");
      var problem = input.closest("form").querySelector(".role-problem");
      if (problem && input.closest(".role-field") && input.closest(".role-field").contains(problem)) { problem.remove(); }
      close();
      input.dispatchEvent(new CustomEvent("role-chosen", { bubbles: true, detail: { code: option.getAttribute("data-code") } }));
    }

    function render(found) {
      CT.clear(list);
      found.roles.forEach(function (role, i) {
        // An occupation without skill ratings cannot be a target: offer its closest rated one instead.
        var use = role.rated || !role.stand_in ? role : role.stand_in;
        var note = role.matched_title ? "also called " + role.matched_title : "";
        if (!role.rated) {
          note = "no skill ratings" + (role.stand_in ? "; picks " + role.stand_in.title : "");
        }
        var option = el("li", { id: listId + "-" + i, role: "option", className: "suggest-option",
          "data-value": use.title, "data-code": use.code, "aria-selected": "false" }, [
          el("span", { className: "role-title", text: role.title }),
          note ? el("span", { className: "hint", text: " (" + note + ")" }) : null
        ]);
        list.appendChild(option);
      });
      if (!found.roles.length) {
        list.appendChild(el("li", { className: "suggest-empty", text: "No occupation matches yet; keep typing." }));
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function lookup() {
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      var ticket = ++latest;
      CT.api("GET", "/roles?limit=8&q=" + encodeURIComponent(query)).then(function (found) {
        if (ticket === latest) { render(found); }
      }).catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 180);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options()[active]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { event.preventDefault(); choose(option); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-role-suggest]"), attach);

  // A "did you mean" choice fills its box instead of posting the whole form again.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".js-pick-suggestion");
    if (!button) { return; }
    var field = button.closest(".role-field") || button.closest("form");
    var input = field.querySelector("input[data-role-suggest]");
    if (!input) { return; }
    event.preventDefault();
    input.value = button.getAttribute("data-title");
    input.removeAttribute("aria-invalid");
    var problem = button.closest(".role-problem");
    if (problem) { problem.remove(); }
    input.focus();
  });
})();
