// The terugblik on the projector: what the previous bijeenkomst of the series yielded, server-rendered in the
// page (it does not change during the afternoon). "Terugblik" or T shows it in place of the wall; T or Esc
// hides it again. Loaded only when there is a terugblik.
import { belongsToFocus } from "./keys.js";

const panel = document.getElementById("terugblik-panel");
const toggle = document.getElementById("toggle-terugblik");

function show(open) {
  panel.hidden = !open;
  document.body.classList.toggle("terugblik-open", open);
  toggle.setAttribute("aria-pressed", String(open));
  if (open) document.getElementById("terugblik-title").focus({ preventScroll: true });
  else if (document.activeElement === document.body || panel.contains(document.activeElement)) toggle.focus();
}

toggle.addEventListener("click", () => show(panel.hidden));
document.getElementById("terugblik-close").addEventListener("click", () => show(false));
document.addEventListener("keydown", (event) => {
  if (event.metaKey || event.ctrlKey || event.altKey || event.repeat) return;
  if (belongsToFocus(event)) return;
  if (event.key === "t" || event.key === "T") {
    event.preventDefault();
    show(panel.hidden);
  } else if (event.key === "Escape" && !panel.hidden) {
    show(false);
  }
});

// The afspraken of the previous bijeenkomst: the facilitator notes their status (and a short note) here. Each
// change is sent at once; "Bewaard" shows only after the server stored it. Changes to one afspraak go one after
// the other, so the last one typed is the one kept. Participants' words are set with textContent only.
const afspraken = document.getElementById("terugblik-afspraken");
if (afspraken) {
  const pending = new Map(); // afspraak id -> the promise of its last save

  function save(row) {
    const id = row.dataset.afspraak;
    const status = row.querySelector(".afspraak-status");
    const note = row.querySelector(".afspraak-note");
    const shown = row.querySelector(".afspraak-saved");
    const body = JSON.stringify({ status: status.value, note: note.value });
    shown.textContent = "";
    const saving = (pending.get(id) || Promise.resolve()).then(async () => {
      const url = afspraken.dataset.url.replace("AFSPRAAK", encodeURIComponent(id));
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body,
        cache: "no-store",
      }).catch(() => null);
      const answer = response ? await response.json().catch(() => null) : null;
      if (response && response.ok && answer && answer.ok) {
        row.dataset.status = answer.afspraak.status;
        shown.textContent = afspraken.dataset.saved;
        shown.classList.remove("failed");
      } else {
        shown.textContent = (answer && answer.error && answer.error.message) || afspraken.dataset.failed;
        shown.classList.add("failed");
      }
    });
    pending.set(id, saving);
    return saving;
  }

  afspraken.addEventListener("change", (event) => {
    const row = event.target.closest(".afspraak");
    if (row) save(row);
  });
  afspraken.addEventListener("keydown", (event) => {
    // Enter in the note saves it now, as leaving the field does.
    if (event.key === "Enter" && event.target.classList.contains("afspraak-note")) {
      event.preventDefault();
      event.target.blur();
    }
  });
}
