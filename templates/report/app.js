// Sorting and filtering of the application table. No libraries, no network.
(function () {
  "use strict";
  var table = document.getElementById("apps");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var readiness = document.getElementById("filter-readiness");
  var strategy = document.getElementById("filter-strategy");
  var wave = document.getElementById("filter-wave");
  var shown = document.getElementById("shown");

  function filter() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var count = 0;
    rows.forEach(function (row) {
      var ok = words.every(function (w) { return row.dataset.search.indexOf(w) >= 0; }) &&
        (!readiness.value || row.dataset.readiness === readiness.value) &&
        (!strategy.value || row.dataset.strategy === strategy.value) &&
        (!wave.value || row.dataset.wave === wave.value);
      row.classList.toggle("hidden", !ok);
      if (ok) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " applications";
  }

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
    return type === "number" ? parseFloat(raw) || 0 : raw.toLowerCase();
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    th.addEventListener("click", function () {
      var type = th.dataset.type;
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
        other.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = cellValue(a, index, type), y = cellValue(b, index, type);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  [text, readiness, strategy, wave].forEach(function (input) {
    input.addEventListener("input", filter);
  });
  filter();
}());
