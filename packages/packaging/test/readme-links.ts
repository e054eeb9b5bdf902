/**
 * The relative links of a Markdown file: inline links and images, reference
 * definitions and HTML `href`/`src` attributes, outside fenced code blocks.
 * Absolute URLs and in-page anchors are left out; a link's own `#fragment`
 * is dropped.
 */
export function relativeLinks(markdown: string): string[] {
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  const targets = [
    ...[...text.matchAll(/\]\(\s*(?:<([^>]+)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)].map(
      (m) => (m[1] ?? m[2])!,
    ),
    ...[...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/\b(?:href|src)\s*=\s*"([^"]+)"/g)].map((m) => m[1]!),
  ];
  return [
    ...new Set(
      targets
        .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith("#"))
        .map((t) => decodeURIComponent(t.split("#")[0]!)),
    ),
  ];
}
