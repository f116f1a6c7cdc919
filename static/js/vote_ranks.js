/* The results page's "Rank" column follows the unit chosen in each vote row (rows added later too): the
   unit's place in the final ranking of the year reviewed, shown only when the row is for the unit itself.
   The page prints the same for the rows it sends; nothing here is saved. */
(function () {
  "use strict";
  var table = document.getElementById("votes-table");
  if (!table || !table.hasAttribute("data-ranks")) {
    return;
  }
  var ranks = JSON.parse(table.getAttribute("data-ranks"));
  function filled(row, suffix) {
    var input = row.querySelector("input[name$='-" + suffix + "']");
    return Boolean(input && input.value.trim());
  }
  function update(row) {
    var cell = row.querySelector(".cell-rank");
    var unit = row.querySelector("select[name$='-unit']");
    if (!cell) {
      return;
    }
    var value = ["", ""];
    if (unit && unit.value && !filled(row, "collective_name") && !filled(row, "person_name")) {
      value = ranks[unit.value] || value;
    }
    cell.textContent = value[0];
    if (value[1]) {
      cell.title = value[1];
    } else {
      cell.removeAttribute("title");
    }
  }
  function changed(event) {
    var row = event.target.closest("tr");
    if (row) {
      update(row);
    }
  }
  table.addEventListener("change", changed);
  table.addEventListener("input", changed);
})();
