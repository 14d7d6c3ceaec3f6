/* digestgen search: the search box on every page, over Pagefind's index (written at build time).
   Pagefind matches the start of words; the build adds the hidden two-syllable pieces of Korean
   text (search.py). Here a Korean particle or ending is cut off each query word, so that `모델이`
   finds `모델을`, and a longer Korean word is asked for as its two-syllable pieces.
   The index is cut into shards (shards.json lists them, newest first); a query searches the newest
   and merges older ones only while it finds less than a page of results, or when the reader asks
   (docs/search.md). It is made from the Korean pages, which carry the English originals too, and
   results lead to the reader's edition.
   Results show in the panel under the header: a count (and since which week, when older weeks
   were not searched), ten at a time with "more", each with its
   title in the page's language, its week and the matching text marked; arrows move through them,
   Esc or the close button closes it. The page a result opens marks the words searched for.
   Nothing here uses innerHTML. */
(function () {
  "use strict";

  // Particles and endings, longest first; cut only when two syllables or more remain.
  var ENDINGS = [
    "으로서는", "으로써", "으로서", "에서는", "으로는", "이라는", "이라고", "했습니다", "합니다", "됩니다",
    "입니다", "시키는", "시킵니다", "에게서", "까지는", "부터는", "처럼", "보다", "까지", "부터", "에서",
    "에게", "한테", "으로", "이나", "이란", "라는", "라고", "에는", "로는", "과의", "와의", "이며", "이고",
    "이다", "하는", "하고", "하여", "해서", "하기", "하면", "되는", "되어", "적인", "적으로", "들이",
    "들을", "들의", "들은", "들과",
    "이", "가", "은", "는", "을", "를", "의", "에", "와", "과", "도", "로", "만", "나", "란", "인",
    "한", "할", "함", "된", "들", "적"
  ];
  var HANGUL = /^[\uac00-\ud7a3]+$/;

  function stem(word) {
    if (!HANGUL.test(word)) return word.toLowerCase();
    for (var i = 0; i < ENDINGS.length; i++) {
      var e = ENDINGS[i];
      if (word.length - e.length >= 2 && word.slice(-e.length) === e) return word.slice(0, -e.length);
    }
    return word;
  }

  /** The words Pagefind is asked for: Korean words without their particles. */
  function prepare(query) {
    return query.split(/\s+/).filter(Boolean).map(stem);
  }

  /** What Pagefind is asked for: a Korean word of three syllables or more as its overlapping
      two-syllable pieces (the build indexes those, across spaces too), so `증강생성` finds
      `검색증강생성` and `검색 증강 생성`; any other word as it is. */
  function pieces(terms) {
    var out = [];
    terms.forEach(function (t) {
      if (!HANGUL.test(t) || t.length < 3) { out.push(t); return; }
      for (var i = 0; i + 2 <= t.length; i++) out.push(t.slice(i, i + 2));
    });
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  /** The index: the newest shard's Pagefind, into which older shards are merged as queries need
      them (shards.json lists each shard's folder and oldest week, newest first). A query searches
      the shards merged so far and widens to the next older one while it finds less than a page
      of results; the reader can ask for the rest. So a first query downloads the newest shard's
      index, not the whole archive's. Merged shards stay merged (Pagefind cannot drop one). */
  var index = null;
  function load(form) {
    if (!index) {
      var root = form.getAttribute("data-bundle"), base = { baseUrl: form.getAttribute("data-base") };
      index = fetch(root + "shards.json").then(function (r) {
        if (!r.ok) throw new Error("no search index");
        return r.json();
      }).then(function (shards) {
        return import(root + shards[0].folder + "/pagefind.js").then(function (pf) {
          return pf.options(base).then(function () {
            return pf.init();  // starts its worker loading the index's metadata and WebAssembly
          }).then(function () {
            // The newest month's shards (its newest week is one of its own) are searched as one.
            var start = shards.filter(function (s) { return s.first; }).length;
            return { pf: pf, shards: shards, merged: 1, start: Math.max(start, 1), root: root, base: base, queue: Promise.resolve() };
          });
        });
      });
      index.catch(function () { index = null; });  // try again on the next query
    }
    return index;
  }

  /** Merge the shards up to the n-th (newest first). */
  function widen(ix, n) {
    var more = ix.shards.slice(ix.merged, n);
    return Promise.all(more.map(function (s) {
      return ix.pf.mergeIndex(new URL(ix.root + s.folder + "/", location.href).href, ix.base);
    })).then(function () { ix.merged = Math.max(ix.merged, n); });
  }

  /** Pagefind's answer for `text` and the number of shards it searched: the shards merged so far
      (all of them if `everything`), then, while the results are fewer than a page, as many older
      ones again as are merged (1, 2, 4… shards: a rare word reaches the oldest of twenty years
      in five rounds) — unless `passing()` says the query is only on its way (a Korean syllable
      still being composed, or a newer query typed since), which must not download older years.
      Searches and merges wait for each other, so the number is exact. */
  function find(ix, text, everything, passing) {
    function step() {
      return ix.pf.search(text).then(function (found) {
        if (found.results.length >= PAGE || ix.merged >= ix.shards.length || passing()) {
          return { found: found, searched: ix.merged };
        }
        return widen(ix, ix.merged * 2).then(step);
      });
    }
    var done = ix.queue.then(function () {
      return widen(ix, everything ? ix.shards.length : Math.max(ix.merged, ix.start)).then(step);
    });
    ix.queue = done.catch(function () {});
    return done;
  }

  /** One pattern for all terms, longest first; a Korean term also matches the text with spaces
      between its syllables (검색증강 marks 검색 증강). */
  function pattern(terms) {
    var parts = terms.slice().sort(function (a, b) { return b.length - a.length; }).map(function (t) {
      var chars = Array.from(t).map(function (c) { return c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
      return HANGUL.test(t) ? chars.join("\\s*") : chars.join("");
    });
    return new RegExp(parts.join("|"), "gi");
  }

  /** Text around the first match, as [text, marked] pieces. */
  function excerpt(content, terms, size) {
    var first = content.search(pattern(terms));
    var start = Math.max(0, first - Math.floor(size / 3));
    return { pieces: mark(content.slice(start, start + size), terms), cut: start > 0 };
  }

  function mark(text, terms) {
    var pieces = [], re = pattern(terms), i = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (!m[0]) { re.lastIndex++; continue; }
      if (m.index > i) pieces.push([text.slice(i, m.index), false]);
      pieces.push([m[0], true]);
      i = m.index + m[0].length;
    }
    if (i < text.length) pieces.push([text.slice(i), false]);
    return pieces;
  }

  function append(parent, pieces) {
    pieces.forEach(function (p) {
      if (p[1]) { var m = document.createElement("mark"); m.textContent = p[0]; parent.appendChild(m); }
      else parent.appendChild(document.createTextNode(p[0]));
    });
  }

  /** The same page in the reader's edition: the index is made from one edition's pages. */
  function inEdition(url, base, lang) {
    if (url.indexOf(base) !== 0) return url;
    var rest = url.slice(base.length), slash = rest.indexOf("/");
    return slash > 0 ? base + lang + rest.slice(slash) : url;
  }

  /** The text of a result without its title (Pagefind's content starts with the page's title and
      its other-language title, each followed by ". "). */
  function body(content, titles) {
    var cut = content.indexOf("\u2042");  // the hidden Korean pieces: not text to show
    if (cut >= 0) content = content.slice(0, cut);
    titles.forEach(function (t) {
      if (t && content.indexOf(t + ". ") === 0) content = content.slice(t.length + 2);
    });
    return content.trim();
  }

  /** Search: the number of matches, the oldest week searched if older weeks were not (else ""),
      and a function that gives the data of results [start, end). */
  function run(form, query, everything, passing) {
    var terms = prepare(query), lang = document.documentElement.lang, base = form.getAttribute("data-base");
    if (!terms.length) return Promise.resolve(NOTHING);
    return load(form).then(function (ix) {
      return find(ix, pieces(terms).join(" "), everything, passing || NEVER).then(function (answer) {
        return { found: answer.found, since: answer.searched < ix.shards.length ? ix.shards[answer.searched - 1].from : "" };
      });
    }).then(function (answer) {
      var found = answer.found;
      return {
        terms: terms,
        count: found.results.length,
        since: answer.since,
        page: function (start, end) {
          return Promise.all(found.results.slice(start, end).map(function (r) { return r.data(); })).then(function (pages) {
            return pages.map(function (d) {
              var title = lang === "en" && d.meta.en ? d.meta.en : d.meta.title;
              return {
                url: inEdition(d.url, base, lang),
                title: title || d.url,
                week: d.meta.week || "",
                intro: /\/issues\//.test(d.url),
                content: body(d.content, [d.meta.title, d.meta.en])
              };
            });
          });
        }
      };
    });
  }

  var PAGE = 10;
  function NEVER() { return false; }
  var NOTHING = { terms: [], count: 0, since: "", page: function () { return Promise.resolve([]); } };

  function item(panel, query, terms, r) {
    var li = document.createElement("li"), link = document.createElement("a"), meta = document.createElement("p");
    link.href = r.url + "?q=" + encodeURIComponent(query);
    link.className = "search-result-title";
    append(link, mark(r.title, terms));
    meta.className = "search-result-meta";
    var time = document.createElement("time");
    time.dateTime = r.week;
    time.textContent = r.week;
    meta.appendChild(time);
    if (r.intro) meta.appendChild(document.createTextNode(" · " + panel.form.getAttribute("data-intro")));
    var text = document.createElement("p"), ex = excerpt(r.content, terms, 160);
    text.className = "search-result-excerpt";
    if (ex.cut) text.appendChild(document.createTextNode("…"));
    append(text, ex.pieces);
    li.appendChild(link);
    li.appendChild(meta);
    li.appendChild(text);
    return li;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  /** The results panel, added under the header: a count, the first ten results, "more" for the
      next ten, a button to search older weeks when they were not searched, a close button. Its
      strings come from the form (the page's language). */
  function Panel(form) {
    this.form = form;
    this.input = form.querySelector("input[type=search]");
    this.el = element("section", "search-panel");
    this.el.id = "search-panel";
    this.el.hidden = true;
    this.el.setAttribute("aria-label", form.getAttribute("data-results"));
    var head = element("div", "search-panel-head");
    this.count = element("p", "search-count");
    this.count.setAttribute("role", "status");
    this.close_ = element("button", "search-close", "\u00d7");
    this.close_.type = "button";
    this.close_.setAttribute("aria-label", form.getAttribute("data-close"));
    head.appendChild(this.count);
    head.appendChild(this.close_);
    this.list = element("ol", "search-results");
    this.more = element("button", "search-more", form.getAttribute("data-more"));
    this.more.type = "button";
    this.more.hidden = true;
    this.older = element("button", "search-more search-older", form.getAttribute("data-older"));
    this.older.type = "button";
    this.older.hidden = true;
    this.el.appendChild(head);
    this.el.appendChild(this.list);
    this.el.appendChild(this.more);
    this.el.appendChild(this.older);
    var header = document.querySelector(".site-header");
    header.parentNode.insertBefore(this.el, header.nextSibling);
    this.found = null;
    this.shown = 0;
  }
  Panel.prototype.open = function () {
    this.el.hidden = false;
  };
  Panel.prototype.close = function () {
    this.el.hidden = true;
  };
  Panel.prototype.status = function (text, busy) {
    this.count.textContent = text;
    this.el.setAttribute("aria-busy", busy ? "true" : "false");
  };
  Panel.prototype.show = function (query, found) {
    this.found = found;
    this.query = query;
    this.shown = 0;
    this.list.textContent = "";
    this.older.hidden = true;
    if (!query.trim()) { this.close(); return Promise.resolve(); }
    this.open();
    var self = this, form = this.form, since = found.since ? "-since" : "";
    var text = form.getAttribute(!found.count ? "data-no-results" + since : found.count === 1 ? "data-count-one" + since
      : "data-count" + since).replace("{n}", String(found.count)).replace("{date}", found.since);
    return this.next().then(function () { if (self.found === found) self.status(text, false); });
  };
  Panel.prototype.next = function () {
    var self = this, found = this.found, start = this.shown, query = this.query;
    this.more.hidden = true;
    return found.page(start, start + PAGE).then(function (results) {
      if (self.found !== found) return;  // a newer query took over
      results.forEach(function (r) { self.list.appendChild(item(self, query, found.terms, r)); });
      self.shown = start + results.length;
      self.more.hidden = self.shown >= found.count;
      self.older.hidden = !found.since;
    });
  };
  /** Arrows move between the box and the results, Esc closes the panel. */
  Panel.prototype.keys = function (event) {
    var links = Array.prototype.slice.call(this.list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      if (this.el.hidden) return;
      event.preventDefault();
      this.close();
      this.input.focus();
    } else if (event.key === "ArrowDown" && links.length && !this.el.hidden) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) this.input.focus(); else links[at - 1].focus();
    }
  };

  /** On a page opened from the results, mark the words searched for. */
  function highlightPage(query) {
    var main = document.getElementById("main");
    if (!main || !query) return;
    var terms = prepare(query), walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT), nodes = [];
    if (!terms.length) return;
    while (walker.nextNode()) {
      var parent = walker.currentNode.parentNode;
      if (!parent.closest("[hidden], pre, script")) nodes.push(walker.currentNode);
    }
    nodes.forEach(function (node) {
      var pieces = mark(node.nodeValue, terms);
      if (pieces.length < 2 && !(pieces[0] && pieces[0][1])) return;
      var frag = document.createDocumentFragment();
      append(frag, pieces);
      node.parentNode.replaceChild(frag, node);
    });
  }

  function copyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        navigator.clipboard.writeText(source.textContent).then(function () {
          button.textContent = button.getAttribute("data-copied");
          setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }

  function init() {
    copyButtons();
    var params = new URLSearchParams(location.search);
    highlightPage(params.get("q"));
    var form = document.querySelector("form.site-search");
    if (!form || !document.querySelector(".site-header")) return;
    var panel = new Panel(form), input = panel.input, timer = null, latest = 0, composing = false;
    function search(everything) {
      var query = input.value, ticket = ++latest, partial = composing;
      function passing() { return partial || ticket !== latest; }
      if (query.trim()) { panel.open(); panel.status(form.getAttribute("data-loading"), true); }
      return run(form, query, everything, passing).then(function (found) { if (ticket === latest) return panel.show(query, found); },
                                                        function () { if (ticket === latest) return panel.show(query, NOTHING); });
    }
    function soon() { clearTimeout(timer); timer = setTimeout(function () { search(false); }, 150); }
    input.addEventListener("focus", function () { load(form); });  // fetch Pagefind while the reader types
    input.addEventListener("input", function (event) { composing = !!event.isComposing; soon(); });
    input.addEventListener("compositionend", function () { composing = false; soon(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); search(); });
    panel.more.addEventListener("click", function () {
      var first = panel.shown;
      panel.next().then(function () {
        var link = panel.list.querySelectorAll("a")[first];
        if (link) link.focus();
      });
    });
    panel.older.addEventListener("click", function () {
      search(true).then(function () {
        var link = panel.list.querySelectorAll("a")[0];
        if (link) link.focus();
      });
    });
    panel.close_.addEventListener("click", function () { panel.close(); input.focus(); });
    document.addEventListener("keydown", function (event) {
      if (form.contains(event.target) || panel.el.contains(event.target)) panel.keys(event);
    });
    window.digestgenSearch = {
      prepare: prepare,
      run: function (query, limit, everything) {
        return run(form, query, everything).then(function (found) {
          return found.page(0, limit || 20).then(function (results) {
            return { terms: found.terms, count: found.count, since: found.since, results: results };
          });
        });
      }
    };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
