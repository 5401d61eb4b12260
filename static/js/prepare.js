// Preparing a bijeenkomst, the library and the table QR sheet. Every form works without this file;
// it only adds a confirmation before removing, the print button, and live name fields for the tables.
import { format, loadStrings } from "./realtime.js";

const strings = loadStrings();

// Ask before a form marked data-confirm removes something.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

// The QR sheet's print button (no inline script under the Content-Security-Policy).
const printButton = document.getElementById("print");
if (printButton) {
  printButton.hidden = false;
  printButton.addEventListener("click", () => window.print());
}

// Tables: show a name field per table as soon as the number changes, before saving.
const count = document.getElementById("table-count");
const names = document.getElementById("table-names");
const rowTemplate = document.getElementById("table-name-row");
if (count && names && rowTemplate) {
  count.addEventListener("input", () => {
    const wanted = Math.max(0, Math.min(Number.parseInt(count.value, 10) || 0, Number(count.max) || 50));
    while (names.children.length > wanted) names.lastElementChild.remove();
    while (names.children.length < wanted) {
      const row = rowTemplate.content.firstElementChild.cloneNode(true);
      row.querySelector(".table-label").textContent = format(strings.table || "%(n)s", { n: names.children.length + 1 });
      names.append(row);
    }
  });
}

// The composer: show only the fields that matter for what is chosen (own scale words, the explanation of a
// scale, the inbrenger's parts). Hidden fields are still sent as they are; a field with a problem stays in view.
const composer = document.getElementById("composer");
if (composer) {
  const show = (element, visible) => {
    if (element) element.classList.toggle("is-off", !visible && !element.querySelector("[aria-invalid]"));
  };
  const preset = document.getElementById("scale-preset");
  const inbrenger = document.getElementById("with-inbrenger");
  const refresh = () => {
    show(composer.querySelector(".own-scale"), preset && preset.value === "eigen");
    for (const phase of composer.querySelectorAll(".composer-phase")) {
      const answer = phase.querySelector(".answer-kind");
      show(phase.querySelector(".explain"), answer && answer.value === "scale");
      show(phase.querySelector(".inbrenger-part"), inbrenger && inbrenger.checked);
    }
  };
  composer.addEventListener("change", refresh);
  refresh();
}
