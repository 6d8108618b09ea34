/* search.html (book/_ext/knobs_site): readable formulas in the result snippets.
 *
 * Sphinx cuts each snippet from the page's text, where a formula is still its TeX source
 * (MathJax typesets the pages in the reader's browser): "does not saturate for \(z > 0\)".
 * Once results hold a formula, this loads the site's own MathJax (the script tag's
 * data-mathjax; nothing is loaded for results without one) and typesets the results only. A
 * snippet cut in the middle of a formula loses the cut piece, which no typesetter could read.
 */
(function () {
  "use strict";

  var DELIMITERS = [["\\(", "\\)"], ["\\[", "\\]"]];  // inline and display TeX
  var script = document.currentScript;
  var loading = null;

  // "...x}\) and \(y" -> "... and ...": drop a formula's tail at the snippet's start and its
  // head at its end (in the first and last text nodes: the highlighted search terms stay)
  function trimCutFormulas(p) {
    var walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    var first = walker.nextNode(), last = first;
    while (walker.nextNode()) last = walker.currentNode;
    if (!first) return;
    DELIMITERS.forEach(function (pair) {
      var text = first.nodeValue;
      var open = text.indexOf(pair[0]), close = text.indexOf(pair[1]);
      if (close !== -1 && (open === -1 || close < open)) {
        first.nodeValue = "..." + text.slice(close + pair[1].length);
      }
      text = last.nodeValue;
      var lastOpen = text.lastIndexOf(pair[0]);
      if (lastOpen !== -1 && text.indexOf(pair[1], lastOpen) === -1) {
        last.nodeValue = text.slice(0, lastOpen) + "...";
      }
    });
  }

  function hasFormula(p) {
    return DELIMITERS.some(function (pair) { return p.textContent.indexOf(pair[0]) !== -1; });
  }

  function mathjax() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        // the results alone are typeset, on demand; not the rest of the page
        window.MathJax = {startup: {typeset: false}};
        var tag = document.createElement("script");
        tag.src = script.dataset.mathjax;
        tag.onload = function () { window.MathJax.startup.promise.then(resolve, reject); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function start() {
    var results = document.getElementById("search-results");
    if (!results) return;
    var busy = false;
    function typeset() {
      if (busy) return;
      var snippets = results.querySelectorAll("p.context");
      var pending = [];
      for (var i = 0; i < snippets.length; i++) {
        if (snippets[i].dataset.knobsMath) continue;
        snippets[i].dataset.knobsMath = "done";
        trimCutFormulas(snippets[i]);
        if (hasFormula(snippets[i])) pending.push(snippets[i]);
      }
      if (!pending.length) return;
      busy = true;
      mathjax()
        .then(function () { return window.MathJax.typesetPromise(pending); })
        .catch(function (error) { console.error("[knobs] search snippets: " + error); })
        .then(function () { busy = false; typeset(); });  // snippets added meanwhile
    }
    // Sphinx adds the results one by one, after fetching each page
    new MutationObserver(typeset).observe(results, {childList: true, subtree: true});
    typeset();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
