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
