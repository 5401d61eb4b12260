// "Zet mijn tekst erachter": put my text after the table's current text, but only what it does not already say.
// Both texts usually start from the same saved draft, so appending all of mine repeated that shared part.
// Pure (no DOM, no state), so tests can call it on its own.

/** Split a text into its sentences, line by line: [{line, text}], each sentence keeping its punctuation. */
function sentences(text) {
  const parts = [];
  text.split(/\r?\n/).forEach((line, number) => {
    for (const match of line.matchAll(/[^.!?…]+(?:[.!?…]+|$)/gu)) {
      const sentence = match[0].trim();
      if (sentence) parts.push({ line: number, text: sentence });
    }
  });
  return parts;
}

/** Words only, lower case: "Zorg  voor één vast aanspreekpunt!" and "zorg voor één vast aanspreekpunt" are equal. */
function words(text) {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/**
 * Return the table's text (`theirs`) with the sentences of `mine` that it does not have yet after it, on a new
 * paragraph. Sentences are compared by their words (case, spacing and punctuation aside), line by line, so a
 * sentence both texts share is never repeated. `base`, the saved text both started from, if known: a sentence
 * that was already there and that I did not change is not added again, also when someone else changed or removed
 * it meanwhile (that was their edit, not my new text).
 */
export function appendNew(theirs, mine, base = "") {
  const current = theirs.trim();
  const known = new Set([...sentences(current), ...sentences(base)].map((s) => words(s.text)));
  const added = [];
  let lastLine = null;
  for (const { line, text } of sentences(mine)) {
    const key = words(text);
    if (!key || known.has(key)) continue;
    known.add(key);
    if (added.length && line === lastLine) added[added.length - 1] += ` ${text}`;
    else added.push(text);
    lastLine = line;
  }
  if (!added.length) return current;
  return current ? `${current}\n\n${added.join("\n")}` : added.join("\n");
}
