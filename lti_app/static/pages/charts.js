// Server-drawn charts (career_core): fetch a chart fragment and put it in place of what a container shows.
(function () {
  "use strict";
  // Resolves true when the charts were shown, false when the server had none (404: nothing rated yet).
  function load(container, url) {
    return CT.request("GET", url, undefined, "text/html").then(function (response) {
      if (!response.ok) { return false; }
      return response.text().then(function (text) {
        // Parsed inert (no script runs in a parsed document) and imported node by node; career_core escapes
        // every text, so this is markup it drew, never markup a learner typed.
        var doc = new DOMParser().parseFromString(text, "text/html");
        CT.clear(container);
        Array.prototype.forEach.call(doc.body.childNodes, function (node) {
          container.appendChild(document.importNode(node, true));
        });
        return true;
      });
    });
  }
  window.CTCharts = { load: load };
})();
