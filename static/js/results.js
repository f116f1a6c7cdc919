/* The results page's "Use the suggestion" button fills the election fields with the rotation suggestion
   in the page, without a round trip; nothing is saved until the user saves. Without JavaScript the same
   button submits the page, which comes back with the fields filled (and nothing saved). */
(function () {
  "use strict";
  var button = document.getElementById("use-suggestion");
  var form = document.getElementById("results-form");
  if (!button || !form) {
    return;
  }
  button.addEventListener("click", function (event) {
    event.preventDefault();
    var vices = (button.getAttribute("data-vices") || "").split(",").filter(Boolean);
    var chair = form.querySelector('select[name="election_chair"]');
    if (chair) {
      chair.value = button.getAttribute("data-chair") || "";
    }
    for (var rank = 1; ; rank += 1) {
      var select = form.querySelector('select[name="election_vice_' + rank + '"]');
      if (!select) {
        break;
      }
      select.value = vices[rank - 1] || "";
    }
  });
})();
