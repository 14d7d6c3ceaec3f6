/* digestgen search: the search box on every page, over Pagefind's index (written at build time).
   Pagefind matches the start of words; the build adds the hidden two-syllable pieces of Korean
   text (search.py). Here a Korean particle or ending is cut off each query word, so that `모델이`
   finds `모델을`, and a longer Korean word is asked for as its two-syllable pieces.
   Results and the page they open show the matching text marked. Nothing here uses innerHTML. */
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

  var bundle = null;
  function pagefind(form) {
    if (!bundle) {
      bundle = import(form.getAttribute("data-bundle") + "pagefind.js").then(function (pf) {
        return pf.options({ baseUrl: form.getAttribute("data-base") }).then(function () { return pf; });
      });
    }
    return bundle;
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

  /** Search: [{url, title, content}] of every matching paper page. */
  function run(form, query, limit) {
    var terms = prepare(query);
    if (!terms.length) return Promise.resolve({ terms: terms, results: [] });
    return pagefind(form).then(function (pf) {
      return pf.search(pieces(terms).join(" "));
    }).then(function (found) {
      return Promise.all(found.results.slice(0, limit || 20).map(function (r) { return r.data(); }));
    }).then(function (pages) {
      return {
        terms: terms,
        results: pages.map(function (d) {
          // The hidden Korean pieces are indexed too; they are not text to show.
          var cut = d.content.indexOf("\u2042");
          return { url: d.url, title: d.meta.title || d.url, content: cut >= 0 ? d.content.slice(0, cut) : d.content };
        })
      };
    });
  }

  function show(form, query, found) {
    var box = form.querySelector(".search-results");
    box.textContent = "";
    if (!query.trim()) return;
    if (!found.results.length) {
      var none = document.createElement("p");
      none.textContent = form.getAttribute("data-no-results");
      box.appendChild(none);
      return;
    }
    var list = document.createElement("ol");
    found.results.forEach(function (r) {
      var item = document.createElement("li"), link = document.createElement("a"), text = document.createElement("p");
      link.href = r.url + "?q=" + encodeURIComponent(query);
      append(link, mark(r.title, found.terms));
      var ex = excerpt(r.content, found.terms, 160);
      if (ex.cut) text.appendChild(document.createTextNode("…"));
      append(text, ex.pieces);
      item.appendChild(link);
      item.appendChild(text);
      list.appendChild(item);
    });
    box.appendChild(list);
  }

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
    if (!form) return;
    form.hidden = false;
    var input = form.querySelector("input[type=search]"), timer = null, latest = 0;
    function search() {
      var query = input.value, ticket = ++latest;
      run(form, query).then(function (found) { if (ticket === latest) show(form, query, found); },
                            function () { if (ticket === latest) show(form, query, { terms: [], results: [] }); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); search(); });
    window.digestgenSearch = {
      prepare: prepare,
      run: function (query, limit) { return run(form, query, limit); }
    };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
