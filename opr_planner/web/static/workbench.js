// opr-planner workbench: table sorting and filtering, and the live progress of a search (server-sent events).
(function () {
  "use strict";

  function sortable(table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th, column) {
      th.addEventListener("click", function () {
        var dir = th.dataset.dir === "asc" ? "desc" : "asc";
        table.querySelectorAll("th[data-sort]").forEach(function (o) { delete o.dataset.dir; });
        th.dataset.dir = dir;
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
          var nx = parseFloat(x), ny = parseFloat(y);
          var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, undefined, {numeric: true, sensitivity: "base"});
          return dir === "asc" ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function filter(input) {
    var table = document.querySelector(input.dataset.filter);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  }

  function draw(job, s) {
    var svg = job.querySelector("svg.chart");
    if (!svg) { return; }
    var points = s.points || [];
    var values = [];
    points.forEach(function (p) { if (p[1] !== null) values.push(p[1]); if (p[2] !== null) values.push(p[2]); });
    if (!values.length) { return; }
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    if (hi === lo) { hi = lo + 1; lo = lo - 1; }
    var span = Math.max(s.time_limit || 1, points.length ? points[points.length - 1][0] : 1);
    function xy(t, v) { return (40 + 550 * t / span).toFixed(1) + "," + (130 - 120 * (v - lo) / (hi - lo)).toFixed(1); }
    function line(i) {
      var out = [], last = null;
      points.forEach(function (p) {
        if (p[i] === null) { return; }
        if (last !== null) { out.push(xy(p[0], last)); }
        out.push(xy(p[0], p[i])); last = p[i];
      });
      if (last !== null) { out.push(xy(Math.min(s.seconds, span), last)); }
      return out.join(" ");
    }
    svg.querySelector("polyline.best").setAttribute("points", line(1));
    svg.querySelector("polyline.bound").setAttribute("points", line(2));
    svg.querySelector(".ymax").textContent = hi;
    svg.querySelector(".ymin").textContent = lo;
  }

  function figures(job, s) {
    function set(name, value) { var el = job.querySelector('[data-field="' + name + '"]'); if (el) { el.textContent = value; } }
    set("best", s.best === null ? "–" : s.best);
    set("bound", s.bound === null ? "–" : s.bound);
    set("gap", s.gap === null ? "–" : (100 * s.gap).toFixed(1) + "%");
    set("seconds", s.seconds);
    set("step-now", s.step ? s.step[0] : "–");
  }

  function follow(job) {
    var snapshot = JSON.parse(job.dataset.snapshot || "{}");
    draw(job, snapshot);
    if (job.dataset.state !== "running" || !window.EventSource) { return; }
    var source = new EventSource(job.dataset.events);
    source.addEventListener("progress", function (e) { var s = JSON.parse(e.data); figures(job, s); draw(job, s); });
    source.addEventListener("finished", function () { source.close(); window.location.reload(); });
    source.addEventListener("none", function () { source.close(); });
  }

  function shows(input) {  // the chosen file's name, in the page's words (not the browser's)
    input.addEventListener("change", function () {
      var target = document.querySelector(input.dataset.shows);
      if (target && input.files.length) { target.textContent = input.files[0].name; }
    });
  }

  function init(root) {
    root.querySelectorAll("table.sortable").forEach(sortable);
    root.querySelectorAll("input[data-filter]").forEach(filter);
    root.querySelectorAll("#job").forEach(follow);
    root.querySelectorAll("input[data-shows]").forEach(shows);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
