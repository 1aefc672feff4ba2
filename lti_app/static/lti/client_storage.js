// LTI client-side storage (1EdTech "OIDC Login with LTI Client Side postMessages"), the tool's side: put and
// get values in the platform's frame. Kept in a file because the pages' CSP allows scripts from 'self' only.
(function () {
  "use strict";
  var TIMEOUT_MS = 3000;

  function messageId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // "_parent" is the page that frames the tool; any other name is a frame of that page (Canvas names one
  // "post_message_forwarding"). A page that is not framed has no platform to ask.
  function platformFrame(target) {
    if (window.parent === window) { return null; }
    if (target === "_parent") { return window.parent; }
    try { return window.parent.frames[target] || null; } catch (error) { return null; }
  }

  // One request to the platform's frame, answered by the response with our message_id from the platform's
  // origin; an error member, a timeout or no frame at all rejects.
  function send(target, origin, message) {
    return new Promise(function (resolve, reject) {
      var frame = platformFrame(target);
      if (!frame) { reject(new Error("no platform frame named " + target)); return; }
      var id = messageId();
      var timer = null;
      function finish() {
        window.removeEventListener("message", onMessage);
        window.clearTimeout(timer);
      }
      function onMessage(event) {
        var data = event.data;
        if (event.origin !== origin || event.source !== frame || !data || typeof data !== "object") { return; }
        if (data.subject !== message.subject + ".response" || data.message_id !== id) { return; }
        finish();
        if (data.error) {
          reject(new Error(message.subject + " failed: " + (data.error.code || "") + " " + (data.error.message || "")));
        } else if (data.key !== message.key) {
          reject(new Error(message.subject + " answered for another key"));
        } else {
          resolve(data);
        }
      }
      window.addEventListener("message", onMessage);
      timer = window.setTimeout(function () { finish(); reject(new Error(message.subject + " timed out")); }, TIMEOUT_MS);
      var request = {subject: message.subject, message_id: id, key: message.key};
      if ("value" in message) { request.value = message.value; }
      try {
        frame.postMessage(request, origin);
      } catch (error) {
        finish();
        reject(error);
      }
    });
  }

  window.CareerToolkitLtiStorage = {
    // The values a page carries for the platform's frame: [{name, key, value}].
    items: function (page) {
      return Array.prototype.map.call(page.querySelectorAll("[data-key]"), function (item) {
        return {name: item.dataset.name, key: item.dataset.key, value: item.dataset.value};
      });
    },
    put: function (target, origin, key, value) {
      return send(target, origin, {subject: "lti.put_data", key: key, value: value});
    },
    get: function (target, origin, key) {
      return send(target, origin, {subject: "lti.get_data", key: key}).then(function (data) { return data.value; });
    }
  };
})();
