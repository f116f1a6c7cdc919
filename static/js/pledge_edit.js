/* The pledge editor: adding, moving and removing sections without a round trip. The server reads the
   ORDER fields, which are renumbered in page order after every move; without JavaScript they can be typed. */
(function () {
  "use strict";
  var list = document.getElementById("sections");
  var total = document.getElementById("id_sections-TOTAL_FORMS");
  var add = document.getElementById("add-section");
  if (!list || !total || !add) {
    return;
  }
  function renumber() {
    list.querySelectorAll(".section-form").forEach(function (card, index) {
      var order = card.querySelector("input[name$='-ORDER']");
      if (order) {
        order.value = index + 1;
      }
    });
  }
  add.addEventListener("click", function () {
    var html = document.getElementById("section-template").innerHTML.replace(/__prefix__/g, total.value);
    list.insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
    renumber();
  });
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-move]");
    if (!button) {
      return;
    }
    var card = button.closest(".section-form");
    if (button.dataset.move === "up" && card.previousElementSibling) {
      list.insertBefore(card, card.previousElementSibling);
    } else if (button.dataset.move === "down" && card.nextElementSibling) {
      list.insertBefore(card.nextElementSibling, card);
    }
    renumber();
  });
})();
