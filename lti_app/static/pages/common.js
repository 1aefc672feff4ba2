// Shared by the launched pages: API calls with the launch token (never a cookie) and safe DOM building.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="api-token"]');
  var token = meta ? meta.getAttribute("content") : "";

  function ApiError(status, body) {
    this.status = status;
    this.body = body || {};
    this.message = errorText(this.body) || "The request failed (" + status + ").";
  }

  function errorText(body) {
    if (!body) { return ""; }
    var parts = [];
    if (body.message) { parts.push(body.message); }
    var errors = body.errors || {};
    Object.keys(errors).forEach(function (where) {
      var fields = errors[where];
      Object.keys(fields || {}).forEach(function (name) {
        var list = fields[name];
        parts.push(name + ": " + (Array.isArray(list) ? list.join("; ") : String(list)));
      });
    });
    return parts.join(" ");
  }

  function request(method, url, body, accept) {
    var headers = { Authorization: "Bearer " + token, Accept: accept || "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: "omit",
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function api(method, path, body) {
    return request(method, "/api/v1" + path, body).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!response.ok) { throw new ApiError(response.status, data); }
        return data;
      });
    });
  }

  // Build elements from text only: user data never goes through innerHTML.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === "text") { node.textContent = value; }
      else if (name === "className") { node.className = value; }
      else { node.setAttribute(name, value === true ? "" : String(value)); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  var statusTimer = null;
  function say(message, kind) {
    var box = document.getElementById("status");
    if (!box) { return; }
    box.textContent = message;
    box.className = "status is-visible status-" + (kind || "ok");
    window.clearTimeout(statusTimer);
    if (kind !== "error") {
      statusTimer = window.setTimeout(function () { box.className = "status"; box.textContent = ""; }, 6000);
    }
  }

  function fail(error) {
    say(error && error.message ? error.message : "Something went wrong. Please try again.", "error");
  }

  function pct(fraction) { return Math.round((fraction || 0) * 100); }

  function busy(button, on) {
    if (!button) { return; }
    button.disabled = on;
    button.setAttribute("aria-busy", on ? "true" : "false");
  }

  window.CT = { api: api, request: request, el: el, clear: clear, say: say, fail: fail, pct: pct, busy: busy, token: token };
})();
