// Fit the beamer's stage to the screen: the largest type size (--fs) at which every box marked data-fit holds its
// content without overflowing, with as many card columns as that size allows. Only when even the smallest size
// does not hold everything are the oldest cards left out, with a "+ nog N" note, so nothing is ever cut off or
// scrolled out of sight on a projector.

/** Tell whether any box overflows (its content is taller or wider than the box). */
function overflows(boxes) {
  return boxes.some((box) => box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1);
}

/** Set a type size and the column counts it allows. */
function apply(stage, size, columnEm) {
  stage.style.setProperty("--fs", `${size}px`);
  for (const list of stage.querySelectorAll(".bwall")) {
    list.style.setProperty("--cols", String(Math.max(1, Math.floor(list.clientWidth / (size * columnEm)))));
  }
  for (const grid of stage.querySelectorAll(".columns")) {
    const count = Number(grid.dataset.count || 1);
    const room = Math.max(1, Math.floor(grid.clientWidth / (size * columnEm)));
    // As many rows as needed, and then the columns spread evenly over them (8 tables: 4 + 4, not 5 + 3).
    const rows = Math.ceil(count / room);
    grid.style.setProperty("--tcols", String(Math.max(1, Math.ceil(count / rows))));
  }
}

function moreNote(list, count, strings) {
  let note = list.querySelector(":scope > .more");
  if (!note) {
    // A list of cards, or a table's body of rows (the afspraken): the note is one more item of the same kind.
    const row = list.tagName === "TBODY";
    note = document.createElement(row ? "tr" : "li");
    note.className = "more";
    list.append(note);
    if (row) {
      const cell = document.createElement("td");
      cell.colSpan = 99;
      note.append(cell);
    }
  }
  (note.firstElementChild || note).textContent =
    count === 1 ? strings.more_one : strings.more_many.replace("%(n)s", String(count));
}

/** Leave out the oldest cards (the last of the longest list) until the box fits; return how many. */
function dropUntilFits(box, strings) {
  const lists = box.matches(".bcards") ? [box] : [...box.querySelectorAll(".bcards")];
  const left = new Map();
  let dropped = 0;
  while (overflows([box])) {
    const cards = (list) => list.querySelectorAll(":scope > .bcard");
    const list = lists.filter((l) => cards(l).length > 1).sort((a, b) => cards(b).length - cards(a).length)[0];
    if (!list) break;
    const all = cards(list);
    all[all.length - 1].remove();
    left.set(list, (left.get(list) || 0) + 1);
    moreNote(list, left.get(list), strings);
    dropped += 1;
  }
  return dropped;
}

/** Try a size with each column width in turn (wide columns first); return the width that fits, or null. */
function fitsAt(stage, boxes, size, columnEms) {
  for (const columnEm of columnEms) {
    apply(stage, size, columnEm);
    if (!overflows(boxes)) return columnEm;
  }
  return null;
}

/**
 * Fit the stage: {min, max} bound the type size in px; columnEms are the card column widths to try, in ems of the
 * card text, widest first (narrower columns hold more cards at the same size). Returns {size, dropped}.
 */
export function fitStage(stage, { min, max, columnEms, strings }) {
  const boxes = [...stage.querySelectorAll("[data-fit]")];
  if (!boxes.length) {
    apply(stage, max, columnEms[0]);
    return { size: max, dropped: 0 };
  }
  let low = min;
  let high = max;
  let best = null;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const columnEm = fitsAt(stage, boxes, middle, columnEms);
    if (columnEm === null) {
      high = middle - 1;
    } else {
      best = { size: middle, columnEm };
      low = middle + 1;
    }
  }
  if (best !== null) {
    apply(stage, best.size, best.columnEm);
    return { size: best.size, dropped: 0 };
  }
  const columnEm = columnEms[columnEms.length - 1];
  apply(stage, min, columnEm);
  let dropped = 0;
  for (const box of boxes) dropped += dropUntilFits(box, strings);
  return { size: min, dropped };
}

/** Give a heading the largest size in [min, max] px at which it stays within maxHeight px. */
export function fitText(node, { min, max, maxHeight }) {
  let low = min;
  let high = max;
  let best = min;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    node.style.setProperty("--prompt-fs", `${middle}px`);
    if (node.scrollHeight <= maxHeight && node.scrollWidth <= node.clientWidth + 1) {
      best = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  node.style.setProperty("--prompt-fs", `${best}px`);
  return best;
}
