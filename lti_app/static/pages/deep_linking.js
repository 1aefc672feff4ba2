// Deep-linking picker: settings follow the picked activities; the exercise's completion criteria follow the choice.
(function () {
  "use strict";
  var form = document.getElementById("deep-link-form");
  if (!form) { return; }
  var picks = Array.prototype.slice.call(form.querySelectorAll(".pick-input"));

  function sync() {
    picks.forEach(function (input) {
      var card = input.closest(".pick");
      card.classList.toggle("is-picked", input.checked);
      card.querySelector(".pick-settings").disabled = !input.checked;
    });
    var exercise = document.getElementById("reflection-exercise");
    if (exercise) {
      Array.prototype.forEach.call(form.querySelectorAll(".criteria-preview"), function (box) {
        box.hidden = box.getAttribute("data-exercise") !== exercise.value;
      });
    }
  }

  form.addEventListener("change", sync);
  form.addEventListener("submit", function (event) {
    if (!picks.some(function (input) { return input.checked; })) {
      event.preventDefault();
      CT.say("Choose an activity to add.", "error");
    }
  });
  sync();
})();
