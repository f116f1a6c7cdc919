/* The units joining a bloc, put in their protocol order by dragging rows (templates/blocs/membership_add.html).

   Markup: <table data-sortable-rows> whose <tr data-row> each hold an <input data-order>; after a drag the
   order inputs are renumbered 1, 2, … in the rows' new order, so the form sends what the user sees.
   Without JavaScript the numbers are typed. <input data-filter-rows="#table"> (hidden until this file
   shows it) hides the rows whose unit does not contain the words typed, with or without accents, as the
   portal's search (blocs.text.fold). No library, nothing loaded from the internet; the
   Content-Security-Policy runs no inline script, hence this file. */
(function () {
  "use strict";
  function fold(text) {
    return text
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  document.querySelectorAll("table[data-sortable-rows]").forEach(function (table) {
    var body = table.tBodies[0];
    var dragged = null;
    function renumber() {
      body.querySelectorAll("tr[data-row]").forEach(function (row, index) {
        var order = row.querySelector("input[data-order]");
        if (order) {
          order.value = index + 1;
        }
      });
    }
    body.querySelectorAll("tr[data-row]").forEach(function (row) {
      row.draggable = true;
      row.classList.add("row-draggable");
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        row.classList.add("row-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", "");
      });
      row.addEventListener("dragover", function (event) {
        if (!dragged || dragged === row) {
          return;
        }
        event.preventDefault();
        var box = row.getBoundingClientRect();
        body.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? row.nextSibling : row);
      });
      row.addEventListener("drop", function (event) {
        event.preventDefault();
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("row-dragging");
        dragged = null;
        renumber();
      });
    });
  });

  document.querySelectorAll("input[data-filter-rows]").forEach(function (input) {
    var table = document.querySelector(input.getAttribute("data-filter-rows"));
    if (!table) {
      return;
    }
    input.hidden = false;
    input.addEventListener("input", function () {
      var words = fold(input.value).split(" ").filter(Boolean);
      table.querySelectorAll("tr[data-row]").forEach(function (row) {
        var text = row.getAttribute("data-search") || "";
        row.hidden = !words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
      });
    });
  });
})();
