/* Behaviour every page shares, as a file: the Content-Security-Policy runs no inline script or handler.
   A <select data-autosubmit> sends its form as soon as a value is chosen (the year pickers); a
   <noscript> button beside it does the same without JavaScript. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
})();
/* Copy buttons: [data-copy="#id"] copies the text of that element (a textarea) to the clipboard and turns
   green (data-copied="1"); the news draft uses it. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.querySelector(button.getAttribute("data-copy"));
      if (!target) {
        return;
      }
      target.select();
      var done = function () {
        button.classList.add("btn-success");
        button.setAttribute("data-copied", "1");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(target.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
/* Select all: a checkbox [data-select-all="name"] (hidden until this runs: without JavaScript each box is
   ticked by hand) ticks or clears every checkbox of that name sharing its form; the review queue uses it. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (master) {
    var name = master.getAttribute("data-select-all");
    var form = master.getAttribute("form");
    var boxes = function () {
      return document.querySelectorAll('input[type="checkbox"][name="' + name + '"][form="' + form + '"]');
    };
    if (!boxes().length) {
      return;
    }
    master.hidden = false;
    master.addEventListener("change", function () {
      boxes().forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });
})();
