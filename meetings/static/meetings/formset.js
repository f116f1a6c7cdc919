/* "Add a row" for Django formsets: clones the hidden empty form of a formset, numbers it and raises
   TOTAL_FORMS. Markup: a container [data-formset="prefix"] with a <template data-empty-form> holding the
   empty form (its fields named prefix-__prefix__-…), a [data-rows] element to append to, and a button
   [data-add-row]. No library, nothing loaded from the internet. */
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (container) {
    var prefix = container.getAttribute("data-formset");
    var total = container.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = container.querySelector("template[data-empty-form]");
    var rows = container.querySelector("[data-rows]");
    var button = container.querySelector("[data-add-row]");
    if (!total || !template || !rows || !button) {
      return;
    }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = rows.lastElementChild;
      var first = added && added.querySelector("select, input:not([type=hidden]), textarea");
      if (first) {
        first.focus();
      }
    });
  });
  /* Copy buttons: [data-copy="#id"] copies the text of the element (a textarea) to the clipboard. */
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
