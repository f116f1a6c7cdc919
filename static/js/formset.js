/* "Add a row" for every Django formset of the portal: clones the formset's empty form, numbers it and
   raises TOTAL_FORMS, so no page needs a round trip to add a guest, a vote or a section.

   Markup (templates/includes/formset.html documents it too):
     <div data-formset="{{ formset.prefix }}">
       {{ formset.management_form }}
       <div data-rows> … one element per form … </div>
       <template data-empty-form> … the row of formset.empty_form (fields named prefix-__prefix__-…) … </template>
       <button type="button" data-add-row>…</button>
     </div>
   Ordered formsets (can_order): rows whose ORDER input is present get move buttons
   <button type="button" data-move="up|down">; the ORDER fields are renumbered in page order after every
   add or move (without JavaScript they can be typed). No library, nothing loaded from the internet; the
   Content-Security-Policy runs no inline script, hence this file. */
(function () {
  "use strict";
  function renumber(rows) {
    Array.prototype.forEach.call(rows.children, function (row, index) {
      var order = row.querySelector("input[name$='-ORDER']");
      if (order) {
        order.value = index + 1;
      }
    });
  }
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
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      renumber(rows);
      var added = rows.lastElementChild;
      var first = added && added.querySelector("select, input:not([type=hidden]), textarea");
      if (first) {
        first.focus();
      }
    });
    rows.addEventListener("click", function (event) {
      var move = event.target.closest("button[data-move]");
      if (!move) {
        return;
      }
      var row = move;
      while (row && row.parentElement !== rows) {
        row = row.parentElement;
      }
      if (!row) {
        return;
      }
      if (move.getAttribute("data-move") === "up" && row.previousElementSibling) {
        rows.insertBefore(row, row.previousElementSibling);
      } else if (move.getAttribute("data-move") === "down" && row.nextElementSibling) {
        rows.insertBefore(row.nextElementSibling, row);
      }
      renumber(rows);
    });
  });
})();
