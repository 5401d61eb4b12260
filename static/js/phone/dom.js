// Small DOM helpers for the phone. Participant text only ever goes in through textContent.

/** Return the element with this id. */
export const $ = (id) => document.getElementById(id);

/**
 * Make an element. props: text (textContent), class, on {event: fn}, attrs {name: value};
 * any other key is set as a property (hidden, disabled, checked, type, name, value, …).
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key === "on") for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    else if (key === "attrs") for (const [name, v] of Object.entries(value)) node.setAttribute(name, String(v));
    else node[key] = value;
  }
  for (const child of [].concat(children)) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/** Show a message in a node, or hide the node when there is none. */
export function showMessage(node, message) {
  node.textContent = message || "";
  node.hidden = !message;
}

/** A radio input that covers its label (so the whole tile is the touch target), with its body. */
export function radioTile({ name, value, checked, className, body, onChange }) {
  const input = el("input", { type: "radio", name, value, checked: Boolean(checked), class: "tile-input" });
  if (onChange) input.addEventListener("change", onChange);
  return el("label", { class: className }, [input, el("span", { class: "tile-body" }, body)]);
}

/** Whether a container holds exactly these nodes, in this order. */
export function sameChildren(container, nodes) {
  return nodes.length === container.children.length && nodes.every((node, i) => container.children[i] === node);
}

/**
 * Put these nodes in a container, only when they differ from what is there: refilling takes every child out of
 * the page for a moment, which drops the keyboard focus. A focused node that stays keeps the focus.
 */
export function refill(container, nodes) {
  if (sameChildren(container, nodes)) return;
  const focused = container.contains(document.activeElement) ? document.activeElement : null;
  container.textContent = "";
  container.append(...nodes);
  if (focused && focused.isConnected) focused.focus();
}

/**
 * Whether the keyboard focus is lost: on the page body, or on an element that was just hidden (the browser moves
 * it to the body a moment later).
 */
export function focusLost() {
  const node = document.activeElement;
  return !node || node === document.body || !node.isConnected || Boolean(node.closest("[hidden]"));
}

/** Return the value of the checked radio with this name inside a container, or null. */
export function checkedValue(container, name) {
  const input = container.querySelector(`input[name="${name}"]:checked`);
  return input ? input.value : null;
}
