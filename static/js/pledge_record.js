/* Recording the paper signatures: the "tick all" box ticks or clears every unit's box. */
(function () {
  "use strict";
  var all = document.getElementById("tick-all");
  if (!all) {
    return;
  }
  all.addEventListener("change", function (event) {
    document.querySelectorAll(".unit-tick").forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
