/* The proposal form shows only the recipient fields that apply (the server checks them anyway). */
(function () {
  "use strict";
  var form = document.getElementById("proposal-form");
  if (!form) {
    return;
  }
  var groups = {collective: ["collective_name"], person: ["person_name", "person_position"]};
  function update() {
    var checked = form.querySelector("input[name=recipient]:checked");
    var chosen = checked ? checked.value : undefined;
    Object.keys(groups).forEach(function (kind) {
      groups[kind].forEach(function (name) {
        var wrapper = document.getElementById("div_id_" + name);
        if (wrapper) {
          wrapper.hidden = chosen !== kind;
        }
      });
    });
  }
  form.addEventListener("change", update);
  update();
})();
