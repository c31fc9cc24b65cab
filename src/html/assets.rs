//! The site's stylesheet and script, written beside its pages (no CDN, no network). The
//! pages read without the script: panels and arguments open through `:target`, lists and
//! diagrams are plain HTML and SVG. The script adds search, pan and zoom, and sorting.

/// Light and dark, colours after Okabe and Ito (told apart with colour-blindness), wide
/// and narrow screens.
pub(super) const STYLE: &str = r##":root {
  --bg: #ffffff; --fg: #1a1a1a; --muted: #555555; --line: #d0d0d0; --panel: #f6f6f3;
  --link: #0060a0; --retracted: #b34700; --corrected: #8a6d00; --quote: #a0522d;
  --ok: #007a5a; --mark: #fff2b3;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #141414; --fg: #e8e8e8; --muted: #a8a8a8; --line: #3a3a3a; --panel: #1f1f1c;
    --link: #7cc4f5; --retracted: #ff9a5c; --corrected: #f0cf5a; --quote: #e8a27a;
    --ok: #4fd1a5; --mark: #5a4a00;
  }
  .diagram svg { background: #f4f4f0; border-radius: 6px; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; background: var(--bg);
  color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
a { color: var(--link); }
a:focus-visible, input:focus-visible, th:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; }
nav.site { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .75rem 0;
  border-bottom: 1px solid var(--line); }
nav.site form { margin-left: auto; }
nav.site input { font: inherit; padding: .25rem .5rem; min-width: 14rem; color: var(--fg);
  background: var(--panel); border: 1px solid var(--line); border-radius: 4px; }
.results { list-style: none; padding: 0; margin: .5rem 0; }
.results li { padding: .25rem 0; border-bottom: 1px solid var(--line); }
.results small { color: var(--muted); display: block; }
h1 { line-height: 1.2; }
.source, .hint, .crumbs, .note, .section { color: var(--muted); }
.conclusions li { margin: .25rem 0; }
.diagram { overflow: hidden; border: 1px solid var(--line); border-radius: 6px; touch-action: none;
  max-height: 80vh; cursor: grab; }
.diagram svg { display: block; width: 100%; height: auto; max-height: 80vh; }
.focus { display: none; }
.focus:target { display: block; }
.panel { display: none; background: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--link);
  border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
.panel:target { display: block; position: sticky; top: 0; max-height: 70vh; overflow: auto; z-index: 1; }
.kind { font-size: .75rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; }
.badge { font-size: .8rem; border-radius: 3px; padding: 0 .35rem; border: 1px solid currentColor;
  white-space: nowrap; }
.badge.retracted, tr.retracted .status { color: var(--retracted); font-weight: 600; }
.badge.retracted::before { content: "⚠ "; }
.badge.corrected, tr.corrected .status { color: var(--corrected); }
.badge.broken, tr.not-found .status, tr.mismatch .status { color: var(--retracted); }
.badge.quote { color: var(--quote); }
.badge.rests { color: var(--retracted); border-style: dashed; }
tr.verified .status { color: var(--ok); }
blockquote { margin: .5rem 0; padding-left: 1rem; border-left: 3px solid var(--line); }
mark { background: var(--mark); color: inherit; }
mark.inexact, mark.missing { text-decoration: underline wavy var(--quote); }
.findings .error code { color: var(--retracted); }
dl.links { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.links dt { color: var(--muted); }
dl.links dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem; border-bottom: 1px solid var(--line); }
th { cursor: pointer; }
ul.maps { list-style: none; padding: 0; }
@media (max-width: 40rem) {
  nav.site form { margin-left: 0; width: 100%; }
  nav.site input { width: 100%; min-width: 0; }
  td:nth-child(2) { font-size: .9rem; }
}
"##;

/// Search over the index, pan and zoom of diagrams, sortable tables.
pub(super) const APP: &str = r##""use strict";
(function () {
  var base = document.body.getAttribute("data-base") || "";
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  function search(q) {
    results.textContent = "";
    var words = q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length || !window.ARGMAP_INDEX) { return; }
    var shown = 0;
    window.ARGMAP_INDEX.forEach(function (item) {
      if (shown >= 50) { return; }
      var hay = (item[0] + " " + item[1] + " " + item[2]).toLowerCase();
      if (!words.every(function (w) { return hay.indexOf(w) >= 0; })) { return; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + item[3];
      a.textContent = item[0];
      var small = document.createElement("small");
      small.textContent = item[1];
      li.appendChild(a);
      li.appendChild(small);
      results.appendChild(li);
      shown += 1;
    });
    if (!shown) { var li = document.createElement("li"); li.textContent = "Nothing found."; results.appendChild(li); }
  }
  if (input && results) {
    input.addEventListener("input", function () { search(input.value); });
    input.form.addEventListener("submit", function (e) { e.preventDefault(); search(input.value); });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; search(q); }
  }
  // Pan with a drag, zoom with the wheel (or + and -), reset with 0.
  Array.prototype.forEach.call(document.querySelectorAll(".diagram svg"), function (svg) {
    var box = svg.viewBox.baseVal;
    if (!box || !box.width) { return; }
    var home = [box.x, box.y, box.width, box.height];
    var drag = null;
    function zoom(f, cx, cy) {
      var nw = box.width * f, nh = box.height * f;
      box.x = cx - (cx - box.x) * f; box.y = cy - (cy - box.y) * f;
      box.width = nw; box.height = nh;
    }
    function point(e) {
      var r = svg.getBoundingClientRect();
      return [box.x + (e.clientX - r.left) / r.width * box.width,
              box.y + (e.clientY - r.top) / r.height * box.height];
    }
    svg.parentNode.addEventListener("wheel", function (e) {
      e.preventDefault();
      var p = point(e);
      zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, p[0], p[1]);
    }, { passive: false });
    svg.addEventListener("pointerdown", function (e) {
      if (e.target.closest("a")) { return; }
      drag = [e.clientX, e.clientY];
    });
    window.addEventListener("pointerup", function () { drag = null; });
    window.addEventListener("pointermove", function (e) {
      if (!drag) { return; }
      var r = svg.getBoundingClientRect();
      box.x -= (e.clientX - drag[0]) / r.width * box.width;
      box.y -= (e.clientY - drag[1]) / r.height * box.height;
      drag = [e.clientX, e.clientY];
    });
    svg.parentNode.setAttribute("tabindex", "0");
    svg.parentNode.addEventListener("keydown", function (e) {
      var cx = box.x + box.width / 2, cy = box.y + box.height / 2;
      if (e.key === "+" || e.key === "=") { zoom(1 / 1.2, cx, cy); }
      else if (e.key === "-") { zoom(1.2, cx, cy); }
      else if (e.key === "0") { box.x = home[0]; box.y = home[1]; box.width = home[2]; box.height = home[3]; }
    });
  });
  // Escape closes a claim's panel.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && /^#claim-/.test(location.hash)) { location.hash = "#map"; }
  });
  // Tables sort by a column when its heading is chosen.
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.tabIndex = 0;
      function sort() {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var up = th.getAttribute("aria-sort") !== "ascending";
        rows.sort(function (a, b) {
          var x = a.cells[col].getAttribute("data-sort") || a.cells[col].textContent;
          var y = b.cells[col].getAttribute("data-sort") || b.cells[col].textContent;
          var n = parseFloat(x) - parseFloat(y);
          var c = isNaN(n) ? x.localeCompare(y) : n;
          return up ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });
  });
})();
"##;
