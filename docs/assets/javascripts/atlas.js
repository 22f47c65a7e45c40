// The Atlas pages. Without JavaScript every table is a plain, complete HTML table and every link works.
// 1. The models table: sorting by any column (buttons in the headers, aria-sort) and filters
// (text, organization, year, open weights, connector) whose state is kept in the page URL, so a
// filtered view can be shared. The controls are built on the reader's first interaction (as
// Material's own bundle is), or at once when the URL carries a filter, so building them never
// delays the first paint.
// 2. The results matrix: hovering over or focusing a cell shows every value of that cell, written
// from the model's records further down the page (so the page holds each number once).
// 3. A link to a record or a model inside a closed <details> opens it.
(function () {
  var box = document.querySelector("[data-atlas-table]");
  if (!box) return;
  var events = ["pointerover", "pointerdown", "keydown", "touchstart", "wheel", "scroll", "focusin"];
  var started = false;
  function start() {
    if (started) return;
    started = true;
    events.forEach(function (e) { removeEventListener(e, start, true); });
    setup();
  }
  if (/[?&](q|org|year|open|connector)=/.test(location.search)) start();
  else events.forEach(function (e) { addEventListener(e, start, { capture: true, passive: true }); });

  function setup() {
  var table = box.querySelector("table");
  var tbody = table.tBodies[0];
  var rows = [].slice.call(tbody.rows);
  var count = box.querySelector(".atlas-count");
  var params = new URLSearchParams(location.search);

  function values(attr) {
    var seen = {};
    rows.forEach(function (row) { seen[row.getAttribute(attr)] = true; });
    return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); });
  }
  function field(label, control) {
    var wrap = document.createElement("label");
    wrap.className = "atlas-filter";
    wrap.appendChild(document.createTextNode(label + " "));
    wrap.appendChild(control);
    return wrap;
  }
  function select(name, label, options) {
    var s = document.createElement("select");
    s.name = name;
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "all";
    s.appendChild(all);
    options.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      s.appendChild(o);
    });
    s.value = params.get(name) || "";
    return field(label, s);
  }

  var form = document.createElement("form");
  form.className = "atlas-filters";
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", "Filter the models");
  var text = document.createElement("input");
  text.type = "search";
  text.name = "q";
  text.value = params.get("q") || "";
  form.appendChild(field("Search", text));
  form.appendChild(select("org", "Organization", values("data-org")));
  form.appendChild(select("year", "Year", values("data-year")));
  form.appendChild(select("open", "Open weights", ["yes", "no"]));
  form.appendChild(select("connector", "Connector", values("data-connector")));
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  box.insertBefore(form, box.firstChild);

  function apply() {
    var q = text.value.trim().toLowerCase();
    var want = {};
    ["org", "year", "open", "connector"].forEach(function (k) { want[k] = form.elements[k].value; });
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!q || (row.textContent + " " + (row.getAttribute("data-aliases") || "")).toLowerCase().indexOf(q) >= 0) &&
        (!want.org || row.getAttribute("data-org") === want.org) &&
        (!want.year || row.getAttribute("data-year") === want.year) &&
        (!want.open || row.getAttribute("data-open") === want.open) &&
        (!want.connector || row.getAttribute("data-connector") === want.connector);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " models shown.";
    var next = new URLSearchParams(location.search);
    ["q", "org", "year", "open", "connector"].forEach(function (k) {
      var v = k === "q" ? text.value.trim() : want[k];
      if (v) next.set(k, v); else next.delete(k);
    });
    var query = next.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);

  var headers = [].slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "atlas-sort";
    button.innerHTML = th.innerHTML;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      rows.sort(function (a, b) {
        var x = a.cells[index], y = b.cells[index];
        var u = x.getAttribute("data-sort") !== null ? x.getAttribute("data-sort") : x.textContent.trim();
        var v = y.getAttribute("data-sort") !== null ? y.getAttribute("data-sort") : y.textContent.trim();
        var order;
        if (numeric) {
          var nu = u === "" ? -Infinity : parseFloat(u), nv = v === "" ? -Infinity : parseFloat(v);
          order = nu - nv;
        } else {
          order = u.localeCompare(v, undefined, { numeric: true, sensitivity: "base" });
        }
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { tbody.appendChild(row); });
    });
  });
  if (/[?&](q|org|year|open|connector)=/.test(location.search)) apply();
  }
})();

(function () {
  // The matrix's pop-ups: every value of a cell, read from its records on the numbers page the cell
  // links to (fetched once per page, on the first hover or focus that needs it).
  var matrix = document.getElementById("atlas-results-table");
  if (!matrix) return;
  var made = 0, pages = {};
  function records(url) {
    if (url === location.href.split("#")[0]) return Promise.resolve(document);
    if (!pages[url]) {
      pages[url] = fetch(url)
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (text) { return new DOMParser().parseFromString(text, "text/html"); })
        .catch(function () { delete pages[url]; return null; });
    }
    return pages[url];
  }
  function pop(cell) {
    if (!cell || cell.nextElementSibling || cell.getAttribute("data-popping") || !cell.getAttribute("data-r")) return;
    cell.setAttribute("data-popping", "");
    records(cell.href.split("#")[0]).then(function (doc) {
      cell.removeAttribute("data-popping");
      if (!doc || cell.nextElementSibling) return;
      var box = document.createElement("span");
      box.className = "atlas-pop";
      box.setAttribute("role", "tooltip");
      box.id = "atlas-pop-" + (made += 1);
      cell.getAttribute("data-r").split(" ").forEach(function (id) {
        var row = doc.getElementById(id);
        if (!row) return;
        var text = row.textContent;
        var rest = text.slice(text.indexOf(": ") + 2);
        var item = document.createElement("span");
        item.className = "atlas-pop__item";
        var value = document.createElement("strong");
        value.textContent = rest.slice(0, rest.indexOf(" ("));
        item.appendChild(value);
        item.appendChild(document.createTextNode(rest.slice(rest.indexOf(" (")) + " \u2014 " + row.parentNode.getAttribute("data-source")));
        box.appendChild(item);
      });
      if (!box.firstChild) return;
      cell.parentNode.appendChild(box);
      cell.setAttribute("aria-describedby", box.id);
    });
  }
  function show(event) {
    var cell = event.target.closest && event.target.closest("td");
    if (cell) pop(cell.querySelector(".atlas-cell"));
  }
  matrix.addEventListener("focusin", show);
  matrix.addEventListener("pointerover", show);
})();

(function () {
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.closest("details");
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView();
    }
  }
  addEventListener("hashchange", reveal);
  reveal();
})();
