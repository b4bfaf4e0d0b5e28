/* Talent Atlas: search and index filters, as progressive enhancement. */
(function () {
  "use strict";

  var KINDS = { person: "Person", company: "Company", model: "Model" };

  function fold(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* ---- Search ----
     data/search/index.json lists the name prefixes that have a shard (1), or that are
     split further by their next character (2); a shard holds every entity with a name
     or alias word starting with its prefix (for a split prefix: equal to it). A query
     loads the shard of each of its words, never the whole index. */

  var manifests = {};
  var shards = {};

  function words(text) { return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean); }

  function hex(text) {
    return Array.prototype.map.call(new TextEncoder().encode(text), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("search index: " + r.status); return r.json(); });
  }

  function loadManifest(url) {
    if (!manifests[url]) manifests[url] = fetchJSON(url);
    return manifests[url];
  }

  /* The prefix whose shard has the entities matching a word, and whether the word is
     too short to have them all (a split prefix): null when no name has such a word. */
  function shardOf(keys, word) {
    var chars = Array.from(word);
    for (var n = 1; n <= chars.length; n++) {
      var key = chars.slice(0, n).join("");
      if (!keys[key]) return null;
      if (keys[key] === 1) return { key: key, partial: false };
      if (n === chars.length) return { key: key, partial: true };
    }
    return null;
  }

  function loadShard(url, key) {
    var file = url.replace(/index\.json$/, "") + hex(key) + ".json";
    if (!shards[file]) {
      shards[file] = fetchJSON(file).then(function (data) {
        return data.items.map(function (it) {
          it.fn = fold(it.n); it.fa = fold(it.a.join(" ")); it.fo = fold(it.d);
          return it;
        });
      });
    }
    return shards[file];
  }

  /* Entities that may match a query (those of the shards of its words), and whether
     more names start with one of its words than were loaded. */
  function candidates(url, query) {
    return loadManifest(url).then(function (manifest) {
      var found = words(query).map(function (w) { return shardOf(manifest.keys, w); }).filter(Boolean);
      return Promise.all(found.map(function (f) { return loadShard(url, f.key); })).then(function (lists) {
        var seen = {}, items = [];
        lists.forEach(function (list) {
          list.forEach(function (it) { if (!seen[it.u]) { seen[it.u] = true; items.push(it); } });
        });
        return { items: items, partial: found.some(function (f) { return f.partial; }) };
      });
    });
  }

  function termScore(it, t) {
    if (it.fn.indexOf(t) === 0) return 8;
    if ((" " + it.fn).indexOf(" " + t) >= 0) return 6;
    if (it.fn.indexOf(t) >= 0) return 4;
    if (it.fa.indexOf(t) >= 0) return 3;
    if (it.fo.indexOf(t) >= 0) return 1;
    return 0;
  }

  function search(items, query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (!terms.length) return [];
    var hits = [];
    items.forEach(function (it) {
      var total = 0;
      for (var i = 0; i < terms.length; i++) {
        var s = termScore(it, terms[i]);
        if (!s) return;
        total += s;
      }
      hits.push([total, it]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || a[1].n.localeCompare(b[1].n); });
    return hits.map(function (h) { return h[1]; });
  }

  function hitItem(it, withSummary) {
    var li = el("li");
    var a = el("a", "", it.n);
    a.href = it.u;
    li.appendChild(a);
    li.appendChild(el("span", "hit-kind", KINDS[it.k] || it.k));
    if (withSummary && it.d) {
      li.appendChild(el("br"));
      li.appendChild(el("span", "small", it.d));
    }
    return li;
  }

  function count(n) { return n === 1 ? "1 result" : n + " results"; }

  function more(found, query) {
    return found.partial ? " Type more letters for every name starting with “" + query.trim() + "”." : "";
  }

  function setupSearch(form) {
    var input = form.querySelector("input[type=search]");
    var box = form.querySelector(".results");
    var status = el("p", "small");
    status.setAttribute("role", "status");
    var list = el("ul");
    box.appendChild(status);
    box.appendChild(list);
    input.setAttribute("aria-controls", box.id);
    var url = form.getAttribute("data-index");

    function close() { box.hidden = true; }
    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    function update() {
      var query = input.value.trim();
      if (!query) { close(); return; }
      candidates(url, query).then(function (found) {
        if (input.value.trim() !== query) return;
        var hits = search(found.items, query);
        list.textContent = "";
        hits.slice(0, 8).forEach(function (it) { list.appendChild(hitItem(it, false)); });
        status.textContent = (hits.length ? count(hits.length) + (hits.length > 8 ? "; press Enter for all." : ".") : "No match.") +
          more(found, query);
        box.hidden = false;
      }).catch(function () { status.textContent = "Search is unavailable."; box.hidden = false; });
    }

    input.addEventListener("input", update);
    input.addEventListener("focus", function () { loadManifest(url).catch(function () {}); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && !box.hidden && links().length) { e.preventDefault(); links()[0].focus(); }
      else if (e.key === "Escape") { close(); }
    });
    box.addEventListener("keydown", function (e) {
      var all = links();
      var i = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i >= 0 && i < all.length - 1) { e.preventDefault(); all[i + 1].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); if (i > 0) all[i - 1].focus(); else input.focus(); }
      else if (e.key === "Escape") { close(); input.focus(); }
    });
    form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) close();
    });
    return { input: input, url: url };
  }

  function setupSearchPage(target, search_) {
    var query = new URLSearchParams(window.location.search).get("q") || "";
    search_.input.value = query;
    target.textContent = "";
    var status = el("p", "", query ? "Searching…" : "Type a name, an alias, a role or a company in the search box.");
    status.setAttribute("role", "status");
    target.appendChild(status);
    if (!query) return;
    candidates(search_.url, query).then(function (found) {
      var hits = search(found.items, query);
      status.textContent = (hits.length ? count(hits.length) : "No match") + " for “" + query + "”." + more(found, query);
      var list = el("ul", "hits");
      hits.forEach(function (it) { list.appendChild(hitItem(it, true)); });
      target.appendChild(list);
    }).catch(function () { status.textContent = "Search is unavailable."; });
  }

  /* ---- Index filters ---- */

  function setupFilters(form) {
    var list = document.getElementById(form.getAttribute("data-filter"));
    if (!list) return;
    var rows = Array.prototype.slice.call(list.children);
    var status = form.querySelector("[role=status]");
    function value(name) { var f = form.elements[name]; return f ? f.value : ""; }

    function apply() {
      var kind = value("kind"), org = value("org"), year = value("year") ? Number(value("year")) : null;
      var shown = 0;
      rows.forEach(function (li) {
        var d = li.dataset;
        var ok = (!kind || d.kind === kind) &&
          (!org || (d.orgs || "").split(" ").indexOf(org) >= 0) &&
          (year === null || (d.first !== undefined && Number(d.first) <= year && year <= Number(d.last)));
        li.hidden = !ok;
        if (ok) shown++;
      });
      var byDate = value("sort") === "date";
      rows.slice().sort(function (a, b) {
        if (byDate) {
          var x = a.dataset.date || "", y = b.dataset.date || "";
          if (x !== y) return x < y ? 1 : -1;
        }
        return a.dataset.name.localeCompare(b.dataset.name);
      }).forEach(function (li) { list.appendChild(li); });
      status.textContent = shown + " of " + rows.length + (form.getAttribute("data-scope") === "page" ? " on this page" : "") + " shown";
    }

    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    apply();
  }

  function start() {
    var form = document.querySelector("form.search");
    if (form) {
      var s = setupSearch(form);
      var page = document.getElementById("search-page");
      if (page) setupSearchPage(page, s);
    }
    Array.prototype.forEach.call(document.querySelectorAll("form.filters[data-filter]"), setupFilters);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
