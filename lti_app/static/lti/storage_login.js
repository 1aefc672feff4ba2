// The OIDC login's page where the platform offers client-side storage: store state and nonce in the platform's
// frame, then go on to the platform's sign-in. It goes on whether or not storing worked: the launch then
// relies on the state cookie, or offers a new window.
(function () {
  "use strict";
  var page = document.getElementById("lti-storage-login");
  var storage = window.CareerToolkitLtiStorage;
  if (!page || !storage) { return; }
  var target = page.dataset.target;
  var origin = page.dataset.platformOrigin;
  var gone = false;
  function proceed() {
    if (gone) { return; }
    gone = true;
    window.location.replace(page.dataset.authUrl);
  }
  Promise.all(storage.items(page).map(function (item) {
    return storage.put(target, origin, item.key, item.value);
  })).then(proceed, proceed);
})();
