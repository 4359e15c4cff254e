// The application table, drawn from the JSON block beside it: filtered, sorted, and shown
// PAGE rows at a time. No libraries, no network; text goes in as text, never as markup.
(function () {
  "use strict";
  var table = document.getElementById("apps");
  var data = document.getElementById("apps-data");
  if (!table || !data) { return; }
  var PAGE = 500;
  var parsed = JSON.parse(data.textContent);
  var names = parsed.columns;
  var apps = parsed.rows.map(function (values) {
    var app = {};
    names.forEach(function (name, i) { app[name] = values[i]; });
    app.search = [app.id, app.name, app.domain, app.owner, app.type].join(" ").toLowerCase();
    return app;
  });
  var keys = ["name", "domain", "criticality", "score", "readiness", "strategy", "wave",
    "person_days", "blockers"];
  var linked = table.hasAttribute("data-details");
  var body = table.tBodies[0];
  var more = document.getElementById("apps-more");
  var text = document.getElementById("filter-text");
  var readiness = document.getElementById("filter-readiness");
  var strategy = document.getElementById("filter-strategy");
  var wave = document.getElementById("filter-wave");
  var shown = document.getElementById("shown");
  var matching = apps;
  var limit = PAGE;

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined && content !== null) { node.textContent = String(content); }
    return node;
  }
  function cell(row, className, value) {
    var td = element("td", className);
    if (value !== undefined) { td.setAttribute("data-value", value); }
    row.appendChild(td);
    return td;
  }
  function draw(app) {
    var row = element("tr");
    var first = cell(row);
    var name = element(linked ? "a" : "span", null, app.name);
    if (linked) { name.href = "#app-" + app.id; }
    first.appendChild(name);
    first.appendChild(element("small", null, app.id));
    cell(row).textContent = app.domain;
    cell(row).textContent = app.criticality;
    cell(row, "num", app.score).appendChild(element("span", "score r-" + app.readiness, app.score));
    cell(row).appendChild(element("span", "pill r-" + app.readiness, app.readiness));
    var kind = cell(row);
    var swatch = element("span", "swatch");
    swatch.style.background = parsed.colors[app.strategy] || "#999";
    kind.appendChild(swatch);
    kind.appendChild(document.createTextNode(app.strategy));
    if (app.decided) { kind.appendChild(element("small", null, "decided")); }
    cell(row, "num", app.wave || 999).textContent = app.wave || "\u2013";
    cell(row, "num", app.person_days).textContent = app.size + " \u00b7 " + app.person_days;
    cell(row, "num", app.blockers).textContent = app.blockers || "";
    return row;
  }
  function render() {
    var rows = document.createDocumentFragment();
    matching.slice(0, limit).forEach(function (app) { rows.appendChild(draw(app)); });
    body.textContent = "";
    body.appendChild(rows);
    var total = matching.length + " of " + apps.length + " applications";
    shown.textContent = matching.length > limit ? total + ", the first " + limit + " shown" : total;
    more.hidden = matching.length <= limit;
    more.textContent = "Show " + Math.min(PAGE, matching.length - limit) + " more";
  }
  function filter() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = wave.value;
    matching = apps.filter(function (app) {
      return words.every(function (w) { return app.search.indexOf(w) >= 0; }) &&
        (!readiness.value || app.readiness === readiness.value) &&
        (!strategy.value || app.strategy === strategy.value) &&
        (!wanted || String(app.wave || "-") === wanted);
    });
    if (order) { matching.sort(order); }
    limit = PAGE;
    render();
  }
  var order = null;
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    th.addEventListener("click", function () {
      var key = keys[index];
      var number = th.getAttribute("data-type") === "number";
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
        other.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      order = function (a, b) {
        var x = a[key], y = b[key];
        if (key === "wave") { x = x || 999; y = y || 999; }
        if (!number) { x = String(x).toLowerCase(); y = String(y).toLowerCase(); }
        var result = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? result : -result;
      };
      matching.sort(order);
      render();
    });
  });
  more.addEventListener("click", function () { limit += PAGE; render(); });
  [text, readiness, strategy, wave].forEach(function (input) {
    input.addEventListener("input", filter);
  });
  filter();
}());

// The diagram: zoom (buttons, Ctrl+wheel, pinch, + - 0 keys) and pan (drag) by moving the
// SVG's viewBox, so that text stays sharp; a click on an application opens its section.
(function () {
  "use strict";
  var box = document.getElementById("diagram-box");
  var svg = box && box.querySelector("svg");
  if (!svg || !svg.viewBox || !svg.viewBox.baseVal) { return; }
  var base = svg.viewBox.baseVal;
  var full = { x: base.x, y: base.y, w: base.width, h: base.height };
  var view = { x: full.x, y: full.y, w: full.w, h: full.h };
  var pointers = {};
  var moved = 0;
  var spread = 0;

  function apply() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    box.setAttribute("data-zoom", (full.w / view.w).toFixed(2));
  }
  function scale() {
    var r = svg.getBoundingClientRect();
    return { r: r, s: Math.min(r.width / view.w, r.height / view.h) || 1 };
  }
  function zoomAt(factor, clientX, clientY) {
    var m = scale();
    var w = Math.min(full.w * 1.5, Math.max(full.w / 60, view.w / factor));
    var f = w / view.w;
    var ox = (m.r.width - view.w * m.s) / 2, oy = (m.r.height - view.h * m.s) / 2;
    var px = view.x + (clientX - m.r.left - ox) / m.s;
    var py = view.y + (clientY - m.r.top - oy) / m.s;
    view = { x: px - (px - view.x) * f, y: py - (py - view.y) * f, w: w, h: view.h * f };
    apply();
  }
  function zoomCentre(factor) {
    var r = svg.getBoundingClientRect();
    zoomAt(factor, r.left + r.width / 2, r.top + r.height / 2);
  }
  function fit() { view = { x: full.x, y: full.y, w: full.w, h: full.h }; apply(); }
  function ids() { return Object.keys(pointers); }

  box.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-zoom]");
    if (button) {
      var how = button.getAttribute("data-zoom");
      if (how === "fit") { fit(); } else { zoomCentre(how === "in" ? 1.5 : 1 / 1.5); }
      return;
    }
    var node = event.target.closest("g.node");
    if (!node || moved > 5) { return; }
    var section = document.getElementById("app-" + (node.id || "").replace(/^node-/, ""));
    if (section) { section.open = true; location.hash = section.id; }
  });
  box.addEventListener("wheel", function (event) {
    if (!event.ctrlKey && !event.metaKey) { return; }
    event.preventDefault();
    zoomAt(event.deltaY < 0 ? 1.2 : 1 / 1.2, event.clientX, event.clientY);
  }, { passive: false });
  box.addEventListener("pointerdown", function (event) {
    if (event.target.closest("button")) { return; }
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    if (ids().length === 1) { moved = 0; }
    box.classList.add("dragging");
  });
  box.addEventListener("pointermove", function (event) {
    var last = pointers[event.pointerId];
    if (!last) { return; }
    if (ids().length === 1 && event.buttons) {
      var dx = event.clientX - last.x, dy = event.clientY - last.y;
      moved += Math.abs(dx) + Math.abs(dy);
      if (moved > 5) { box.setPointerCapture(event.pointerId); }
      var s = scale().s;
      view.x -= dx / s;
      view.y -= dy / s;
      apply();
    } else if (ids().length === 2) {
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var p = ids().map(function (k) { return pointers[k]; });
      var now = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y);
      if (spread) { zoomAt(now / spread, (p[0].x + p[1].x) / 2, (p[0].y + p[1].y) / 2); }
      spread = now;
      moved = 99;
      return;
    }
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
  });
  function release(event) {
    delete pointers[event.pointerId];
    spread = 0;
    if (!ids().length) { box.classList.remove("dragging"); }
  }
  box.addEventListener("pointerup", release);
  box.addEventListener("pointercancel", release);
  box.addEventListener("keydown", function (event) {
    var keys = { "+": 1.5, "=": 1.5, "-": 1 / 1.5 };
    if (keys[event.key]) { zoomCentre(keys[event.key]); event.preventDefault(); }
    if (event.key === "0") { fit(); event.preventDefault(); }
  });
  apply();
}());

// A link to an application opens its section; printing opens every section.
(function () {
  "use strict";
  function openTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) {
      return !d.open;
    });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
  });
}());
