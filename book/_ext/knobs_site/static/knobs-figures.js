// Figures (book/_ext/knobs_site/figures.py): each shown at the CSS width it was drawn for; where
// the column is narrower, a tap (or Enter) shows it at that width in a dialog.
(function () {
  "use strict";
  const script = document.currentScript;
  const density = Number(script.dataset.density) || 1;
  const selector = script.dataset.figures;

  // the CSS width a figure was drawn for: its width attribute or style (notebook outputs), else
  // its pixels over the density (the frames of the kernel-free experiments)
  function intended(img) {
    const stated = parseFloat(img.style.width || img.getAttribute("width") || "");
    return stated > 0 ? stated : img.naturalWidth / density;
  }

  let dialog = null;
  function open(img) {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "knobs-figure-dialog";
      dialog.setAttribute("aria-label", "Figure at full size");
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.addEventListener("click", () => dialog.close());
      dialog.append(close, document.createElement("img"));
      dialog.addEventListener("click", (event) => {
        if (event.target === dialog) dialog.close();
      });
      document.body.append(dialog);
    }
    const big = dialog.querySelector("img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    big.style.width = intended(img) + "px";
    dialog.showModal();
  }

  // Sphinx links a figure whose width is set to its PNG (``image-reference``): that link, already
  // focusable and opened by Enter, is the control; a figure without one becomes a button
  function control(img) {
    return img.closest("a.image-reference") || img;
  }

  function size(img) {
    if (!img.style.width && !img.getAttribute("width") && img.naturalWidth) {
      img.style.width = img.naturalWidth / density + "px";  // a frame: its drawn CSS width
    }
    const scaled = img.getBoundingClientRect().width < intended(img) - 1;
    img.classList.toggle("knobs-figure-enlargeable", scaled);
    const target = control(img);
    if (target !== img) {
      if (scaled) target.setAttribute("aria-haspopup", "dialog");
      else target.removeAttribute("aria-haspopup");
      return;
    }
    if (scaled) {
      img.tabIndex = 0;
      img.setAttribute("role", "button");
      img.setAttribute("aria-haspopup", "dialog");
      img.title = "Show at full size";
    } else {
      img.removeAttribute("tabindex");
      img.removeAttribute("role");
      img.removeAttribute("aria-haspopup");
      img.removeAttribute("title");
    }
  }

  function init() {
    const figures = document.querySelectorAll(selector);
    figures.forEach((img) => {
      if (img.complete) size(img);
      img.addEventListener("load", () => size(img));  // also a frame swapped by the slider
      const target = control(img);
      target.addEventListener("click", (event) => {
        if (img.classList.contains("knobs-figure-enlargeable")) {
          event.preventDefault();  // the dialog rather than the bare PNG
          open(img);
        }
      });
      if (target === img) {
        img.addEventListener("keydown", (event) => {
          if ((event.key === "Enter" || event.key === " ") &&
              img.classList.contains("knobs-figure-enlargeable")) {
            event.preventDefault();
            open(img);
          }
        });
      }
    });
    window.addEventListener("resize", () => figures.forEach((img) => size(img)));
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
