// LTI Dynamic Registration 1.0: tell the platform that opened this page that the registration is over,
// so it closes its dialog. Kept in a file because the pages' CSP allows scripts from 'self' only.
(function () {
  "use strict";
  function closeRegistration() {
    var message = {subject: 'org.imsglobal.lti.close'};
    if (window.opener && window.opener !== window) {
      window.opener.postMessage(message, '*');
    }
    window.parent.postMessage({subject: 'org.imsglobal.lti.close'}, '*');
  }
  var button = document.getElementById("registration-close");
  if (button) {
    button.addEventListener("click", closeRegistration);
  }
  closeRegistration();
})();
