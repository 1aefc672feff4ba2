// Submit the id_token form as soon as the page loads, as an LMS's auth endpoint does.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("autopost");
  if (form) { form.submit(); }
});
