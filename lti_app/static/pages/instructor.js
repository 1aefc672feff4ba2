// Instructor view: approve a plan or send it back, with a comment recorded as a mentor check-in.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".review"), function (review) {
    var form = review.querySelector(".review-form");
    var planId = review.getAttribute("data-plan");
    var decision = null;
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=decision]");
      if (button) { decision = button.value; }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = decision || "approve";
      var comment = form.elements.comment.value.trim();
      var result = form.querySelector(".review-result");
      var buttons = form.querySelectorAll("button");
      Array.prototype.forEach.call(buttons, function (b) { CT.busy(b, true); });
      var start = review.getAttribute("data-status") === "waiting_for_review"
        ? CT.api("POST", "/plans/" + planId + "/transitions", { action: "start_review" })
        : Promise.resolve(null);
      start.then(function () {
        review.setAttribute("data-status", "in_review");
        return CT.api("POST", "/plans/" + planId + "/transitions", { action: chosen });
      }).then(function () {
        if (!comment) { return null; }
        return CT.api("POST", "/plans/" + planId + "/checkins", {
          held_on: new Date().toISOString().slice(0, 10),
          agenda_template: "progress_review",
          notes: comment,
          agreed_actions: []
        });
      }).then(function () {
        result.textContent = chosen === "approve" ? "Approved." : "Sent back to the learner.";
        review.classList.add("is-done");
        CT.say(result.textContent, "ok");
      }).catch(function (error) {
        CT.fail(error);
        Array.prototype.forEach.call(buttons, function (b) { CT.busy(b, false); });
      });
    });
  });
})();
