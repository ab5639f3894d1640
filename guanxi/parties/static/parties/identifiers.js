// "Add another identifier": copy the last row of the identifier table, empty, and count it in the formset.
// Without JavaScript the form still has one empty row, and saving gives another.
document.addEventListener("click", function (e) {
  var button = e.target.closest("[data-add-identifier]");
  if (!button) return;
  e.preventDefault();
  var table = document.querySelector("table.identifiers tbody");
  var total = document.querySelector("input[name$='-TOTAL_FORMS'][name^='ident']");
  var max = document.querySelector("input[name$='-MAX_NUM_FORMS'][name^='ident']");
  if (!table || !total) return;
  var n = parseInt(total.value, 10);
  if (max && n >= parseInt(max.value, 10)) return;
  var row = table.rows[table.rows.length - 1].cloneNode(true);
  row.classList.remove("has-error");
  row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
  row.querySelectorAll("input, select").forEach(function (el) {
    el.name = el.name.replace(/-\d+-/, "-" + n + "-");
    el.id = el.id.replace(/-\d+-/, "-" + n + "-");
    if (el.type === "checkbox") { el.remove(); } else { el.value = ""; }
  });
  table.appendChild(row);
  total.value = n + 1;
  row.querySelector("select, input").focus();
});
