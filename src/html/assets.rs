//! The site's stylesheet and script, written beside its pages (no CDN, no network). The
//! pages read without the script: panels and arguments open through `:target`, lists and
//! diagrams are plain HTML and SVG. The script adds search, pan and zoom, and sorting.

/// Light and dark, colours after Okabe and Ito (told apart with colour-blindness), wide
/// and narrow screens.
pub(super) const STYLE: &str = r##":root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1a1a1a; --muted: #545454; --line: #c8c8c8; --panel: #f5f5f1;
  --link: #005a96; --focus: #d55e00; --retracted: #b34700; --corrected: #7a5f00;
  --quote: #9c3f78; --ok: #00704f; --mark: #fff0a8; --shadow: rgba(0, 0, 0, .18);
  --diagram: #fcfcfa;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121212; --fg: #e8e8e8; --muted: #b0b0b0; --line: #444444; --panel: #1e1e1b;
    --link: #8ccbf7; --focus: #f0b429; --retracted: #ff9f66; --corrected: #f0d060;
    --quote: #e69ccb; --ok: #5fd6ab; --mark: #5c4b00; --shadow: rgba(0, 0, 0, .6);
    --diagram: #ecece6;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; background: var(--bg);
  color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
  overflow-wrap: break-word; }
a { color: var(--link); text-underline-offset: .15em; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: .5rem; }
.skip:focus { left: 1rem; z-index: 3; background: var(--bg); padding: .5rem; }
nav.site { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center;
  padding: .75rem 0; border-bottom: 1px solid var(--line); }
nav.site > a { font-weight: 600; }
nav.site form { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
nav.site input { font: inherit; padding: .3rem .6rem; width: 18rem; max-width: 100%; color: var(--fg);
  background: var(--panel); border: 1px solid var(--line); border-radius: 4px; }
.results { list-style: none; padding: 0; margin: .5rem 0; }
.results:not(:empty) { border: 1px solid var(--line); border-radius: 6px; padding: .25rem .75rem;
  max-height: 60vh; overflow: auto; }
.results li { padding: .35rem 0; border-bottom: 1px solid var(--line); }
.results li:last-child { border-bottom: 0; }
.results small { color: var(--muted); display: block; }
h1 { line-height: 1.2; margin: 1.25rem 0 .75rem; }
h2 { line-height: 1.25; margin: 1.5rem 0 .5rem; }
.source, .hint, .crumbs, .note, .section, figcaption { color: var(--muted); }
.intro { max-width: 46rem; }
ul.maps { list-style: none; padding: 0; }
ul.maps > li { border-top: 1px solid var(--line); padding-top: .25rem; }
.conclusions li { margin: .35rem 0; }
.kind { font-size: .72rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; vertical-align: .1em; }
.claim-text { font-size: 1.05rem; }
.badge { font-size: .8rem; border-radius: 3px; padding: 0 .35rem; border: 1px solid currentColor;
  display: inline-block; }
.badge.retracted, tr.retracted .status, .status.retracted { color: var(--retracted); font-weight: 600; }
.badge.retracted::before, .badge.broken::before { content: "⚠ "; }
.badge.corrected, tr.corrected .status, .status.corrected { color: var(--corrected); }
.badge.broken, tr.not-found .status, tr.mismatch .status { color: var(--retracted); }
.badge.quote { color: var(--quote); border-style: dotted; }
.badge.rests { color: var(--retracted); border-style: dashed; }
tr.verified .status, .status.verified { color: var(--ok); }
blockquote { margin: .5rem 0; padding-left: 1rem; border-left: 3px solid var(--line); }
figure.quote { margin: .5rem 0 .75rem; }
figure.quote blockquote { font-style: italic; }
mark { background: var(--mark); color: inherit; }
mark.inexact, mark.missing { text-decoration: underline wavy var(--quote); }
.findings .error code { color: var(--retracted); }
.citations { padding-left: 1.25rem; }
.citations li { margin: .25rem 0; }
dl.links { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .75rem 0; }
dl.links dt { color: var(--muted); font-weight: 600; }
dl.links dd { margin: 0; }
dl.links ul { margin: 0; padding: 0; list-style: none; }
dl.links li { margin: 0 0 .35rem; }
.id { color: var(--muted); font-size: .85rem; font-weight: normal; }
.panel dl.links { grid-template-columns: 1fr; gap: 0; }
.panel dl.links dt { margin-top: .5rem; }
/* Diagrams: at their own size in a frame that scrolls; with the script, panned and zoomed. */
.diagram { overflow: auto; max-height: 75vh; border: 1px solid var(--line); border-radius: 6px;
  background: var(--diagram); }
.diagram svg { display: block; max-width: none; height: auto; }
.diagram svg g.graph > polygon:first-of-type { fill: none; stroke: none; }
.diagram.pannable { overflow: hidden; cursor: grab; touch-action: none; height: 75vh; }
.diagram.pannable.dragging { cursor: grabbing; }
.diagram.pannable svg { width: 100%; height: 100%; }
.diagram a:focus { outline: none; }
.diagram g.current path, .diagram g.current polygon { stroke: #d55e00; stroke-width: 4px; }
.diagram a:focus-visible path, .diagram a:focus-visible polygon { stroke: #000000; stroke-width: 3px;
  stroke-dasharray: 6 3; }
.zoom { display: flex; gap: .35rem; justify-content: flex-end; align-items: center; margin: .25rem 0; }
.zoom span { color: var(--muted); font-size: .85rem; margin-right: auto; }
.zoom button { font: inherit; min-width: 2.5rem; min-height: 2.25rem; padding: 0 .6rem; color: var(--fg);
  background: var(--panel); border: 1px solid var(--line); border-radius: 4px; cursor: pointer; }
.claims details { margin: 1.5rem 0; }
.claims summary { cursor: pointer; font-weight: 600; font-size: 1.1rem; }
.all-claims li { margin: .3rem 0; }
.focus { display: none; }
.focus:target, .focus.open { display: block; }
.focus .summary { max-width: 50rem; }
/* A claim's panel: beside the diagram (on a phone, over the foot of the screen). */
.panel { display: none; background: var(--panel); border: 1px solid var(--line);
  border-left: 4px solid var(--link); border-radius: 6px; padding: .25rem 1rem 1rem; }
.panel:target { display: block; position: fixed; z-index: 2; top: .75rem; right: .75rem; bottom: .75rem;
  width: min(30rem, calc(100vw - 1.5rem)); overflow: auto; box-shadow: 0 4px 24px var(--shadow); }
.panel:focus { outline: none; }
.panel header { display: flex; align-items: baseline; gap: 1rem; }
.panel h3 { margin: .75rem 0 .5rem; font-size: 1.05rem; }
.panel .close { margin-left: auto; }
@media (min-width: 64rem) {
  body:has(.panel:target) { max-width: none; margin: 0 calc(min(30rem, 40vw) + 1.5rem) 0 1rem; }
}
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem; border-bottom: 1px solid var(--line); }
td { overflow-wrap: anywhere; }
td:first-child { overflow-wrap: normal; white-space: nowrap; }
th { cursor: pointer; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
@media (max-width: 40rem) {
  body { padding: 0 .75rem 2rem; }
  h1 { font-size: 1.6rem; }
  nav.site form { margin-left: 0; width: 100%; }
  nav.site input { width: 100%; }
  .diagram { max-height: 60vh; }
  .diagram.pannable { height: 60vh; }
  .panel:target { top: auto; left: 0; right: 0; bottom: 0; width: auto; max-height: 55vh;
    border-radius: 10px 10px 0 0; border-left-width: 1px; border-top: 4px solid var(--link); }
  dl.links { grid-template-columns: 1fr; }
  table.sortable thead { display: none; }
  table.sortable tr { display: block; border-bottom: 1px solid var(--line); padding: .5rem 0; }
  table.sortable td { display: block; border: 0; padding: .1rem 0; }
  table.sortable td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
}
@media print {
  nav.site, .results, .zoom, .skip, .close { display: none; }
  .panel, .focus { display: block; position: static; box-shadow: none; }
}
"##;

/// Search over the index, pan and zoom of diagrams, sortable tables.
pub(super) const APP: &str = r##""use strict";
(function () {
  var base = document.body.getAttribute("data-base") || "";
  var XLINK = "http://www.w3.org/1999/xlink";
  function href(a) { return a.getAttribute("href") || a.getAttributeNS(XLINK, "href") || ""; }

  // Search over the index (a script, so it works from file://), as the reader types.
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

  // Diagrams: drag (or two fingers) to pan, the wheel or a pinch or + and - to zoom,
  // 0 or "Fit" for the whole; a claim's box brought into view when it gets the focus.
  var frames = [];
  Array.prototype.forEach.call(document.querySelectorAll(".diagram"), function (frame) {
    var svg = frame.querySelector("svg");
    var box = svg && svg.viewBox.baseVal;
    if (!box || !box.width) { return; }
    var full = { x: box.x, y: box.y, w: box.width, h: box.height };
    var natural = svg.width.baseVal.value / full.w || 4 / 3;
    var view = { x: full.x, y: full.y, k: natural };
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
    frame.classList.add("pannable");
    frame.style.height = Math.max(160, Math.min(full.h * natural + 2, window.innerHeight * (innerWidth < 640 ? 0.6 : 0.75))) + "px";
    var bar = document.createElement("div");
    bar.className = "zoom";
    bar.innerHTML = "<span>Drag to move; wheel, pinch or + and − to zoom.</span>";
    [["−", "Zoom out", function () { zoomAt(1 / 1.25); }], ["Fit", "Show the whole diagram", fit],
     ["+", "Zoom in", function () { zoomAt(1.25); }]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = b[0];
      button.setAttribute("aria-label", b[1]);
      button.addEventListener("click", b[2]);
      bar.appendChild(button);
    });
    frame.parentNode.insertBefore(bar, frame);
    function size() { return [frame.clientWidth || 1, frame.clientHeight || 1]; }
    function apply() {
      var s = size();
      svg.setAttribute("viewBox", [view.x, view.y, s[0] / view.k, s[1] / view.k].join(" "));
    }
    function fit() {
      var s = size();
      view.k = Math.min(s[0] / full.w, s[1] / full.h);
      view.x = full.x; view.y = full.y;
      apply();
    }
    // At a readable size when the whole would be too small to read, else whole.
    // At a readable size when the whole would be too small to read, else whole; the
    // claim the frame names (a conclusion) near the left, half way down.
    function home() {
      var s = size();
      if (Math.min(s[0] / full.w, s[1] / full.h) >= natural * 0.7) { fit(); return; }
      view.k = natural; view.x = full.x; view.y = full.y;
      apply();
      var start = frame.getAttribute("data-start");
      var node = start && Array.prototype.filter.call(svg.querySelectorAll("a"), function (a) {
        return href(a).split("#")[1] === start;
      })[0];
      if (!node) { return; }
      var r = node.getBoundingClientRect(), f = frame.getBoundingClientRect();
      var left = view.x + (r.left - f.left) / view.k, mid = view.y + (r.top + r.height / 2 - f.top) / view.k;
      view.x = Math.max(full.x, left - 24 / view.k);
      view.y = Math.max(full.y, Math.min(full.y + full.h - s[1] / view.k, mid - s[1] / 2 / view.k));
      apply();
    }
    function zoomAt(f, px, py) {
      var s = size();
      if (px === undefined) { px = s[0] / 2; py = s[1] / 2; }
      var k = Math.max(natural / 20, Math.min(natural * 6, view.k * f));
      view.x += px / view.k - px / k;
      view.y += py / view.k - py / k;
      view.k = k;
      apply();
    }
    function panBy(dx, dy) { view.x -= dx / view.k; view.y -= dy / view.k; apply(); }
    // Brings an element of the diagram into the frame's middle when it is outside.
    function show(el, always) {
      var r = el.getBoundingClientRect(), f = frame.getBoundingClientRect();
      if (always || r.left < f.left || r.right > f.right || r.top < f.top || r.bottom > f.bottom) {
        panBy(f.left + f.width / 2 - (r.left + r.width / 2), f.top + f.height / 2 - (r.top + r.height / 2));
      }
    }
    frame.addEventListener("wheel", function (e) {
      e.preventDefault();
      var f = frame.getBoundingClientRect();
      zoomAt(Math.pow(1.0015, -e.deltaY), e.clientX - f.left, e.clientY - f.top);
    }, { passive: false });
    var pointers = {};
    var moved = 0;
    frame.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) { return; }
      pointers[e.pointerId] = [e.clientX, e.clientY];
      moved = 0;
    });
    frame.addEventListener("pointermove", function (e) {
      var last = pointers[e.pointerId];
      if (!last) { return; }
      var ids = Object.keys(pointers);
      if (ids.length === 2) {
        var other = pointers[ids[0] == e.pointerId ? ids[1] : ids[0]];
        var before = Math.hypot(last[0] - other[0], last[1] - other[1]);
        var after = Math.hypot(e.clientX - other[0], e.clientY - other[1]);
        var f = frame.getBoundingClientRect();
        if (before > 0) { zoomAt(after / before, (e.clientX + other[0]) / 2 - f.left, (e.clientY + other[1]) / 2 - f.top); }
      } else {
        moved += Math.abs(e.clientX - last[0]) + Math.abs(e.clientY - last[1]);
        if (moved > 4) {
          if (!frame.classList.contains("dragging")) { frame.classList.add("dragging"); frame.setPointerCapture(e.pointerId); }
          panBy(e.clientX - last[0], e.clientY - last[1]);
        }
      }
      pointers[e.pointerId] = [e.clientX, e.clientY];
    });
    function up(e) { delete pointers[e.pointerId]; frame.classList.remove("dragging"); }
    frame.addEventListener("pointerup", up);
    frame.addEventListener("pointercancel", up);
    // A drag that ends on a claim's box does not open it.
    frame.addEventListener("click", function (e) { if (moved > 4) { e.preventDefault(); moved = 0; } }, true);
    frame.setAttribute("tabindex", "0");
    frame.setAttribute("aria-label", "Diagram: Tab moves between claims, + and - zoom, 0 fits, arrows move");
    frame.addEventListener("keydown", function (e) {
      var step = 60;
      if (e.key === "+" || e.key === "=") { zoomAt(1.25); }
      else if (e.key === "-") { zoomAt(1 / 1.25); }
      else if (e.key === "0") { fit(); }
      else if (e.key === "ArrowLeft") { panBy(step, 0); }
      else if (e.key === "ArrowRight") { panBy(-step, 0); }
      else if (e.key === "ArrowUp") { panBy(0, step); }
      else if (e.key === "ArrowDown") { panBy(0, -step); }
      else { return; }
      e.preventDefault();
    });
    frame.addEventListener("focusin", function (e) {
      var a = e.target.closest && e.target.closest("a");
      if (a && frame.contains(a)) { show(a, false); }
    });
    // A hidden frame (a conclusion's argument not chosen yet) has no size: it is set
    // up when it first shows.
    var homed = false;
    function resized() {
      if (frame.clientWidth < 2) { return; }
      if (homed) { apply(); } else { homed = true; home(); }
    }
    if (window.ResizeObserver) { new ResizeObserver(resized).observe(frame); }
    resized();
    frames.push({ frame: frame, svg: svg, show: show });
  });

  // The claim whose panel is open is marked in the diagrams, and a conclusion's
  // argument stays on screen while a panel of one of its claims is open.
  function changed() {
    var hash = decodeURIComponent(location.hash.slice(1));
    var target = hash && document.getElementById(hash);
    if (target && target.classList.contains("focus")) {
      Array.prototype.forEach.call(document.querySelectorAll(".focus.open"), function (f) { f.classList.remove("open"); });
      target.classList.add("open");
    } else if (!target || !target.classList.contains("panel")) {
      Array.prototype.forEach.call(document.querySelectorAll(".focus.open"), function (f) { f.classList.remove("open"); });
    }
    frames.forEach(function (d) {
      Array.prototype.forEach.call(d.svg.querySelectorAll("g.current"), function (g) { g.classList.remove("current"); });
      if (!target || !target.classList.contains("panel")) { return; }
      Array.prototype.forEach.call(d.svg.querySelectorAll("a"), function (a) {
        if (href(a).split("#")[1] === location.hash.slice(1)) {
          var g = a.closest("g.node");
          if (g) { g.classList.add("current"); }
        }
      });
    });
    if (target && target.classList.contains("panel")) {
      // Arrived from elsewhere: the claim's box in view in the diagram shown.
      frames.forEach(function (d) {
        var g = d.svg.querySelector("g.current");
        if (g && d.frame.offsetParent !== null) { d.show(g, false); }
      });
    }
  }
  window.addEventListener("hashchange", changed);
  changed();
  // Closing a panel (Escape, or its Close link) goes back to what was shown under it.
  function close() {
    var open = document.querySelector(".focus.open");
    location.hash = open ? "#" + open.id : "#map";
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && /^#claim-/.test(location.hash)) { close(); }
  });
  Array.prototype.forEach.call(document.querySelectorAll(".panel .close"), function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); close(); });
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
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
})();
"##;
