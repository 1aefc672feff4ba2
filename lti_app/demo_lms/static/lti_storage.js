// The demo LMS's side of LTI client-side storage (1EdTech "OIDC Login with LTI Client Side postMessages"): the
// tool's frame stores its OIDC state and nonce here when its own cookie is blocked, and reads them back at the
// launch. Only the registered tool's origin is answered, and values are kept per origin, in this page only.
(function () {
  "use strict";
  var MAX_LENGTH = 4096;
  var MAX_KEYS = 200;
  var stored = {};

  function toolOrigin() {
    var frame = document.querySelector("iframe.tool[data-tool-origin]");
    return frame ? frame.dataset.toolOrigin : null;
  }

  function isText(value) {
    return typeof value === "string" && value.length > 0 && value.length <= MAX_LENGTH;
  }

  function answer(event, request, fields) {
    var response = {subject: request.subject + ".response", message_id: request.message_id};
    Object.keys(fields).forEach(function (name) { response[name] = fields[name]; });
    event.source.postMessage(response, event.origin);
  }

  function refuse(event, request, code, message) {
    answer(event, request, {key: request.key, error: {code: code, message: message}});
  }

  window.addEventListener("message", function (event) {
    var request = event.data;
    if (!request || typeof request !== "object" || typeof request.subject !== "string") { return; }
    if (request.subject.indexOf("lti.") !== 0 || !event.source) { return; }
    if (event.origin !== toolOrigin()) { return; }  // not the registered tool: no answer at all
    var values = stored[event.origin] || (stored[event.origin] = Object.create(null));
    switch (request.subject) {
      case "lti.capabilities":
        answer(event, request, {
          supported_messages: [
            {subject: "lti.capabilities"},
            {subject: "lti.get_data", frame: "_parent"},
            {subject: "lti.put_data", frame: "_parent"}
          ]
        });
        break;
      case "lti.put_data":
        if (!isText(request.key) || !isText(request.value)) {
          refuse(event, request, "bad_request", "key and value must be non-empty strings of at most " + MAX_LENGTH + " characters");
        } else if (!(request.key in values) && Object.keys(values).length >= MAX_KEYS) {
          refuse(event, request, "bad_request", "too many stored values for this origin");
        } else {
          values[request.key] = request.value;
          answer(event, request, {key: request.key, value: request.value});
        }
        break;
      case "lti.get_data":
        if (!isText(request.key) || !(request.key in values)) {
          refuse(event, request, "bad_request", "no value stored under this key for this origin");
        } else {
          answer(event, request, {key: request.key, value: values[request.key]});
        }
        break;
      default:
        answer(event, request, {error: {code: "unsupported_subject", message: "this platform does not handle " + request.subject}});
    }
  });
})();
