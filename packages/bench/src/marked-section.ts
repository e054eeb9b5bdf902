/**
 * Rewrites the part of a text between `<!-- name:start -->` and
 * `<!-- name:end -->`, and nothing else, so generated figures can live in
 * files people also edit by hand.
 */

/** The two marker comments of a section. */
export function markers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

function only(text: string, marker: string, where: string): number {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${where}: no "${marker}" marker; add it where the section goes`);
  if (text.indexOf(marker, at + 1) >= 0) {
    throw new Error(`${where}: "${marker}" appears more than once; keep one`);
  }
  return at;
}

/**
 * The text with the section's content replaced (markers kept, content on
 * its own lines between them). Running it again with the same content
 * changes nothing. Missing, repeated or swapped markers are an error.
 */
export function replaceMarkedSection(
  text: string,
  name: string,
  content: string,
  where = "text",
): string {
  const { start, end } = markers(name);
  const from = only(text, start, where) + start.length;
  const to = only(text, end, where);
  if (to < from) throw new Error(`${where}: "${end}" comes before "${start}"`);
  return `${text.slice(0, from)}\n\n${content.trim()}\n\n${text.slice(to)}`;
}
