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
/* Copy buttons: [data-copy="#id"] copies the text of that element (a textarea) to the clipboard and turns
   green (data-copied="1"); the news draft uses it. */
(function () {
  "use strict";
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
/* Tables that become stacked cards on phones (<table class="table-stack">; the layout is in portal.css):
   each body cell gets its column's header text as data-label, which the phone layout prints before the
   value, so no template repeats its headers in every cell. A cell that sets its own data-label keeps it; a
   cell spanning several columns gets none. A cell with nothing to show is marked stack-empty and hidden
   on phones. Rows added later (the "add a row" of a formset) are labelled as they arrive. */
(function () {
  "use strict";
  function headerText(cell) {
    if (cell.hasAttribute("data-label")) {
      return cell.getAttribute("data-label");
    }
    var copy = cell.cloneNode(true);
    copy.querySelectorAll("[aria-hidden='true']").forEach(function (hidden) {
      hidden.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  function columnLabels(table) {
    var labels = [];
    if (!table.tHead || !table.tHead.rows.length) {
      return labels;
    }
    var row = table.tHead.rows[table.tHead.rows.length - 1];
    Array.prototype.forEach.call(row.cells, function (cell) {
      var text = headerText(cell);
      for (var i = 0; i < cell.colSpan; i += 1) {
        labels.push(cell.colSpan > 1 ? "" : text);
      }
    });
    return labels;
  }
  var shown = "input:not([type=hidden]), select, textarea, button, img, svg, progress, canvas";
  function labelRow(row, labels) {
    var column = 0;
    Array.prototype.forEach.call(row.cells, function (cell) {
      var label = cell.colSpan === 1 ? labels[column] : "";
      if (label && !cell.hasAttribute("data-label")) {
        cell.setAttribute("data-label", label);
      }
      cell.classList.toggle("stack-empty", !cell.textContent.trim() && !cell.querySelector(shown));
      column += cell.colSpan;
    });
  }
  document.querySelectorAll("table.table-stack").forEach(function (table) {
    var labels = columnLabels(table);
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        labelRow(row, labels);
      });
      new MutationObserver(function (changes) {
        changes.forEach(function (change) {
          change.addedNodes.forEach(function (node) {
            if (node.nodeName === "TR") {
              labelRow(node, labels);
            }
          });
        });
      }).observe(body, { childList: true });
    });
  });
})();
/* The page's title in the header printed on paper (base.html, .print-header): the <title> without the
   portal's suffix. */
(function () {
  "use strict";
  var header = document.querySelector(".print-header");
  var target = header && header.querySelector("[data-print-title]");
  if (!target) {
    return;
  }
  var suffix = header.getAttribute("data-title-suffix") || "";
  var title = document.title.trim();
  if (suffix && title.slice(-suffix.length) === suffix) {
    title = title.slice(0, -suffix.length);
  }
  title = title.trim();
  target.textContent = title ? " · " + title : "";
})();
/* Select all: a checkbox [data-select-all="name"] (hidden until this runs: without JavaScript each box is
   ticked by hand) ticks or clears every checkbox of that name sharing its form; the review queue uses it. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (master) {
    var name = master.getAttribute("data-select-all");
    var form = master.getAttribute("form");
    var boxes = function () {
      return document.querySelectorAll('input[type="checkbox"][name="' + name + '"][form="' + form + '"]');
    };
    if (!boxes().length) {
      return;
    }
    master.hidden = false;
    master.addEventListener("change", function () {
      boxes().forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });
})();
