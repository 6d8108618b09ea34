/* Kernel-free experiments (book/_ext/knobs_site): the slider picks one of the results the
 * engine computed when the site was built and shows its report, figure and alt text. */
(function () {
  "use strict";

  // Runs task once the page has loaded and the browser has nothing more urgent to do.
  function whenIdle(task) {
    function soon() {
      if (window.requestIdleCallback) window.requestIdleCallback(task, {timeout: 2000});
      else window.setTimeout(task, 200);
    }
    if (document.readyState === "complete") soon();
    else window.addEventListener("load", soon);
  }

  function init(root) {
    var data = JSON.parse(root.querySelector("script.knobs-static-data").textContent);
    var frames = data.frames;
    var input = root.querySelector("input[type=range]");
    var value = root.querySelector("output");
    var report = root.querySelector(".knobs-static-report");
    var figure = root.querySelector("img.knobs-static-figure");
    var loaded = {};  // kept referenced: the browser then reuses the image, no new request

    function preload(i) {
      if (i < 0 || i >= frames.length || loaded[i]) return;
      loaded[i] = new Image();
      loaded[i].src = frames[i].src;
    }

    // Every frame, nearest to the shown one first. Called when the reader shows an intent to
    // move the slider (focus, pointer over the experiment): a drag may land on any frame, and
    // the first move must not wait for the network. Not at load for every frame: a chapter
    // read on a phone should not fetch a megabyte of figures its reader may never look at.
    function preloadAll() {
      var here = Number(input.value);
      for (var d = 1; d < frames.length; d++) {
        preload(here - d);
        preload(here + d);
      }
    }

    // One block per line of the report, so that a line too long for the box wraps with a
    // hanging indent under its own text instead of at the box's left edge (the text, with its
    // line breaks, stays the report's).
    function setReport(text) {
      var lines = text.split("\n");
      report.textContent = "";
      lines.forEach(function (line, k) {
        var hang = line.length - line.replace(/^ +/, "").length + 2;  // in characters
        var block = document.createElement("span");
        block.className = "knobs-static-line";
        block.style.paddingLeft = hang + "ch";
        block.style.textIndent = -hang + "ch";
        block.textContent = k < lines.length - 1 ? line + "\n" : line;
        report.appendChild(block);
      });
    }

    function show(i) {
      var frame = frames[i];
      value.textContent = frame.label;
      input.setAttribute("aria-valuetext", frame.label);
      setReport(frame.report);  // a polite live region: screen readers read it out
      figure.src = frame.src;
      figure.alt = frame.alt;
      root.setAttribute("data-index", String(i));
      preload(i - 1);  // the next step either way is ready before the reader gets there
      preload(i + 1);
    }

    setReport(report.textContent);
    input.addEventListener("input", function () { show(Number(input.value)); });
    input.addEventListener("focus", preloadAll);
    root.addEventListener("pointerenter", preloadAll);
    // after load, when idle: the two neighbours of the default, the first keyboard step
    whenIdle(function () {
      preload(Number(input.value) - 1);
      preload(Number(input.value) + 1);
      root.setAttribute("data-preloaded", "true");
    });
    root.querySelector(".knobs-static-controls").hidden = false;
    root.setAttribute("data-ready", "true");
  }

  function start() {
    var roots = document.querySelectorAll(".knobs-static");
    for (var k = 0; k < roots.length; k++) init(roots[k]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
