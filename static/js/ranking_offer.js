/* The reason field's "Insert the ranking" button puts the chosen unit's line of the final ranking into the
   field, in the page; nothing is saved until the user saves. The line follows the unit chosen. Without
   JavaScript the same button sends the form back with the line in the field (and nothing saved). */
(function () {
  "use strict";
  var offer = document.getElementById("ranking-offer");
  var button = document.getElementById("insert-ranking");
  if (!offer || !button || !offer.hasAttribute("data-lines")) {
    return;
  }
  var form = button.form;
  var lines = JSON.parse(offer.getAttribute("data-lines"));
  var lineText = document.getElementById("ranking-offer-line");
  var noteText = document.getElementById("ranking-offer-note");
  function chosen() {
    var recipient = form.querySelector("input[name=recipient]:checked");
    if (recipient && recipient.value !== "unit") {
      return {reason: "", note: offer.getAttribute("data-not-unit")};
    }
    var unit = form.querySelector("select[name=unit]");
    if (!unit || !unit.value) {
      return {reason: "", note: offer.getAttribute("data-choose-unit")};
    }
    return lines[unit.value] || {reason: "", note: ""};
  }
  function update() {
    var line = chosen();
    lineText.textContent = line.reason;
    noteText.textContent = line.reason ? "" : line.note;
    button.disabled = !line.reason;
  }
  button.addEventListener("click", function (event) {
    event.preventDefault();
    var line = chosen().reason;
    var field = form.querySelector("textarea[name=award_reason]");
    if (!line || !field) {
      return;
    }
    if (field.value.indexOf(line) === -1) {
      var text = field.value.replace(/\s+$/, "");
      field.value = text ? text + "\n" + line : line;
    }
    field.focus();
  });
  form.addEventListener("change", update);
  update();
})();
