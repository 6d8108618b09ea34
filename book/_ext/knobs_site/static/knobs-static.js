/* Kernel-free experiments (book/_ext/knobs_site): the slider picks one of the results the
 * engine computed when the site was built and shows its report, figure and alt text. */
(function () {
  "use strict";

  function init(root) {
    var data = JSON.parse(root.querySelector("script.knobs-static-data").textContent);
    var frames = data.frames;
    var input = root.querySelector("input[type=range]");
    var value = root.querySelector("output");
    var report = root.querySelector(".knobs-static-report");
    var figure = root.querySelector("img.knobs-static-figure");
    var loaded = {};

    function preload(i) {
      if (i < 0 || i >= frames.length || loaded[i]) return;
      loaded[i] = new Image();
      loaded[i].src = frames[i].src;
    }

    function show(i) {
      var frame = frames[i];
      value.textContent = frame.label;
      input.setAttribute("aria-valuetext", frame.label);
      report.textContent = frame.report;
      figure.src = frame.src;
      figure.alt = frame.alt;
      root.setAttribute("data-index", String(i));
      preload(i - 1);  // the next step either way is ready before the reader gets there
      preload(i + 1);
    }

    input.addEventListener("input", function () { show(Number(input.value)); });
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
