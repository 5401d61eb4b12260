// Small DOM helpers for the host view. Text always goes in with textContent, never as markup.

/**
 * Make an element: el("li", {className: "card", dataset: {id}, text: "…", attrs: {…}}, [children]).
 * Children may be nodes, strings (inserted as text) or null/false (skipped).
 */
export function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  for (const [key, value] of Object.entries(options.dataset || {})) {
    if (value !== undefined && value !== null) node.dataset[key] = String(value);
  }
  for (const [key, value] of Object.entries(options.attrs || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** Make a button with a click handler. */
export function button(text, onClick, className = "button") {
  const node = el("button", { className, text, attrs: { type: "button" } });
  node.addEventListener("click", onClick);
  return node;
}
