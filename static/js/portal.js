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
