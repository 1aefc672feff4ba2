// Post the signed deep-linking response back to the platform as soon as the page loads.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (form) { form.submit(); }
});
