// Which keys are the page's shortcuts and which belong to the focused control (WCAG 2.1.4): in a text field every
// key types; on a button, link or summary a letter, "+", Space or Enter is the control's own (Space and Enter press
// it), so none of those start the timer or open a panel. Arrows, PageUp/PageDown and Esc stay shortcuts there.

const FIELDS = "input, textarea, select, [contenteditable]:not([contenteditable='false']), [role=textbox], [role=combobox]";
const CONTROLS =
  "button, a[href], summary, [role=button], [role=link], [role=checkbox], [role=radio], [role=switch], [role=tab], " +
  "[role=menuitem], [role=option], [tabindex]:not([tabindex='-1'])";

/** Whether a keydown is for the focused control (or already handled by it), not for the page's shortcuts. */
export function belongsToFocus(event) {
  if (event.defaultPrevented) return true;
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return false;
  if (target.closest(FIELDS)) return true;
  if (!target.closest(CONTROLS)) return false;
  return event.key.length === 1 || event.key === "Enter" || event.key === "Spacebar";
}
