// The launch's page where the state cookie did not come back: read from the platform's frame what the login
// stored there, then confirm the launch with a same-origin request only this page can make (a custom header),
// and put the launched page in place of this one. No URL carries the launch, so none can be handed on.
(function () {
  "use strict";
  var page = document.getElementById("lti-verify-launch");
  var storage = window.CareerToolkitLtiStorage;
  if (!page || !storage) { return; }
  var data = page.dataset;

  function failed() {
    document.getElementById("lti-verify-waiting").hidden = true;
    document.getElementById("lti-verify-failed").hidden = false;
  }

  function replaceDocument(html) {
    document.open();
    document.write(html);
    document.close();
  }

  var body = {state: data.state};
  Promise.all(storage.items(page).map(function (item) {
    return storage.get(data.target, data.platformOrigin, item.key).then(function (value) {
      if (value !== item.value) { throw new Error("the platform's frame kept another " + item.name); }
      body["stored_" + item.name] = value;
    });
  })).then(function () {
    var headers = {"Content-Type": "application/json"};
    headers[data.headerName] = data.headerValue;
    return fetch(data.verifiedUrl, {
      method: "POST",
      headers: headers,
      body: JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store"
    });
  }).then(function (response) {
    // The launched page, or the tool's own page saying why it refused.
    return response.text().then(replaceDocument);
  }).catch(failed);
})();
