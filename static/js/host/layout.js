// Shared by the regie and the beamer: how a net of buckets is laid out, and what a composed werkvorm's display is
// laid out by.

/**
 * Columns and rows for a net of `count` buckets, as square as a wide screen likes: 4 as 2 x 2, 3 side by side,
 * 5 and 6 as 3 x 2, 7 and 8 as 4 x 2, 9 as 3 x 3, up to 12 as 4 x 3.
 */
export function netShape(count) {
  const n = Math.max(1, count);
  const cols = n <= 3 ? n : n === 4 ? 2 : n <= 6 ? 3 : n <= 8 ? 4 : n === 9 ? 3 : 4;
  return { cols, rows: Math.ceil(n / cols) };
}

/** Set a net's shape on its element (the stylesheets read --net-cols and --net-rows). */
export function shapeNet(node, count) {
  const { cols, rows } = netShape(count);
  node.style.setProperty("--net-cols", String(cols));
  node.style.setProperty("--net-rows", String(rows));
  return node;
}

/** The tag group a display is laid out by (a grid's columns, a scale's points, the ranked options, the levels). */
export function displayGroup(step) {
  return (step?.tag_groups || []).find((g) => g.id === step.display_group) || { id: "", label: "", options: [] };
}

/** Per scale point how many chose it, in the scale's own order. */
export function scaleCounts(group, items) {
  const counts = new Map(group.options.map((o) => [o.id, 0]));
  for (const c of items) for (const tag of c.tags || []) if (counts.has(tag)) counts.set(tag, counts.get(tag) + 1);
  return counts;
}

/** Borda points per option: with n options a first place earns n-1, the last 0 (as services/beamer.py counts). */
export function bordaPoints(group, items) {
  const points = new Map(group.options.map((o) => [o.id, 0]));
  const most = Math.max(0, group.options.length - 1);
  let answers = 0;
  for (const c of items) {
    const order = (c.ranking || []).filter((o) => points.has(o));
    if (!order.length) continue;
    answers += 1;
    order.forEach((option, place) => points.set(option, points.get(option) + most - place));
  }
  return { points, answers, most };
}
