// Small DOM helpers for every page (host, beamer, participant). Text only ever goes in through textContent, never
// as markup: what participants type reaches other screens, so no helper here parses HTML.

/** Return the element with this id. */
export const $ = (id) => document.getElementById(id);

/**
 * Make an element: el("li", {className: "card", text: "…", dataset: {id}, attrs: {…}, on: {click: fn}}, children).
 * text goes in as textContent; dataset sets data-* values; attrs sets attributes (true as an empty attribute, false
 * leaves it out); on adds event listeners; any other key is set as a property (hidden, disabled, type, value, …).
 * Null and undefined values are skipped. Children (one or an array) may be nodes, strings (inserted as text) or
 * null/undefined/false (skipped).
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "dataset") setData(node, value);
    else if (key === "attrs") setAttributes(node, value);
    else if (key === "on") for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    else node[key] = value;
  }
  for (const child of [].concat(children)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child); // a string goes in as a text node
  }
  return node;
}

function setData(node, data) {
  for (const [key, value] of Object.entries(data)) {
    if (value !== undefined && value !== null) node.dataset[key] = String(value);
  }
}

function setAttributes(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : String(value));
  }
}

/** Make a button with a click handler. */
export function button(text, onClick, className = "button") {
  return el("button", { className, text, attrs: { type: "button" }, on: { click: onClick } });
}

/** Show a message in a node, or hide the node when there is none. */
export function showMessage(node, message) {
  node.textContent = message || "";
  node.hidden = !message;
}

/** A radio input that covers its label (so the whole tile is the touch target), with its body. */
export function radioTile({ name, value, checked, className, body, onChange }) {
  const input = el("input", { type: "radio", name, value, checked: Boolean(checked), className: "tile-input" });
  if (onChange) input.addEventListener("change", onChange);
  return el("label", { className }, [input, el("span", { className: "tile-body" }, body)]);
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
