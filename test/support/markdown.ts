/** Reading a guide's commands out of its Markdown, so a test runs exactly what the text says. */

/**
 * The fenced blocks of `lang` (```bash, ```dotenv …) under the heading line `heading`, up to the
 * next heading of the same or a higher level.
 */
export function fencedBlocks(markdown: string, heading: string, lang: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`heading not found: ${heading}`);
  const level = /^#+/.exec(heading)![0].length;
  const found: string[] = [];
  let fence: string[] | undefined;
  let fenceLang = '';
  for (const line of lines.slice(start + 1)) {
    if (fence) {
      if (line === '```') {
        if (fenceLang === lang) found.push(fence.join('\n'));
        fence = undefined;
      } else fence.push(line);
      continue;
    }
    if (line.startsWith('```')) {
      fence = [];
      fenceLang = line.slice(3).trim();
      continue;
    }
    const h = /^(#+) /.exec(line);
    if (h && h[1]!.length <= level) break;
  }
  return found;
}

/** The first block of `lang` under `heading`; throws when there is none. */
export function firstBlock(markdown: string, heading: string, lang: string): string {
  const [block] = fencedBlocks(markdown, heading, lang);
  if (block === undefined) throw new Error(`no \`\`\`${lang} block under ${heading}`);
  return block;
}
