// The pipeline board: drag a card onto another stage (or onto won / lost) and the server moves it; the board
// comes back from the server either way (with the refusal as a message), so what shows is what is stored.
// Phones (no drag and drop) use each card's "move to" select, which needs no script at all.
(function () {
  "use strict";
  var dragged = null;

  function params(query) {
    var out = {};
    new URLSearchParams(query || "").forEach(function (v, k) { out[k] = v; });
    return out;
  }

  document.addEventListener("change", function (e) {
    var sel = e.target.closest("select[data-navigate]");
    if (sel) { e.stopPropagation(); window.location.href = sel.value; }
  }, true);

  document.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest(".kcard[draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.dataset.id);
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll(".dropping").forEach(function (el) { el.classList.remove("dropping"); });
  });
  document.addEventListener("dragover", function (e) {
    var zone = dragged && e.target.closest && e.target.closest(".kcol, .kdrop");
    if (!zone) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".dropping").forEach(function (el) { if (el !== zone) el.classList.remove("dropping"); });
    zone.classList.add("dropping");
  });
  document.addEventListener("drop", function (e) {
    var zone = dragged && e.target.closest && e.target.closest(".kcol, .kdrop");
    if (!zone) return;
    e.preventDefault();
    var board = document.querySelector(".kanban");
    var card = dragged;
    zone.classList.remove("dropping");
    if (zone.dataset.stage === card.closest(".kcol").dataset.stage) return;
    var values = params(board.dataset.query);
    values.opportunity = card.dataset.id;
    values.version = card.dataset.version;
    values.stage = zone.dataset.stage;
    card.classList.add("moving");
    if (zone.classList.contains("kcol")) zone.querySelector(".kcards").appendChild(card);
    window.htmx.ajax("POST", board.dataset.moveUrl, { source: board, target: "#board", values: values });
  });
})();
