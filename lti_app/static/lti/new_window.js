// Offer a new window only from inside the course page: a page already in a window of its own did not get the
// cookie back either, and yet another window would not change that.
(function () {
  "use strict";
  var offer = document.getElementById("lti-new-window-offer");
  var ownWindow = document.getElementById("lti-own-window");
  if (window.parent === window && offer && ownWindow) {
    offer.hidden = true;
    ownWindow.hidden = false;
  }
})();
