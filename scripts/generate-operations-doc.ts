/**
 * Writes the settings table of docs/operations.md from packages/server/src/config.ts, between
 * the markers; the rest of the page is written by hand. `--check` writes nothing and exits 1
 * when the page is out of date (scripts/operations-doc.test.ts does the same in CI).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { describeSettings, type SettingDescription } from '../packages/server/src/config.ts';
import { REPO_ROOT } from './dependency-rules.ts';

export const OPERATIONS_DOC = join(REPO_ROOT, 'docs', 'operations.md');
export const TABLE_START =
  '<!-- settings:start: generated from packages/server/src/config.ts by scripts/generate-operations-doc.ts; do not edit -->';
export const TABLE_END = '<!-- settings:end -->';

/** The Markdown table of every setting, in the order config.ts declares them. */
export function renderSettingsTable(settings: readonly SettingDescription[]): string {
  const header = ['Variable', 'Flag', 'Default', 'Type', 'Description'];
  const rows = settings.map((setting) => [
    code(setting.env),
    setting.flag === undefined ? 'none' : code(setting.flag),
    setting.defaultText === '' ? 'unset' : code(setting.defaultText),
    escapeHtml(setting.type),
    escapeHtml(setting.doc),
  ]);
  return [header, header.map(() => '---'), ...rows]
    .map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`)
    .join('\n');
}

function code(text: string): string {
  return `\`${text}\``;
}

/** `<path>` outside a code span would be read as an HTML tag and vanish. */
function escapeHtml(text: string): string {
  return text.replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A pipe would end the cell, even inside a code span. */
function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/**
 * The page with its settings table replaced by the current one, formatted as Prettier formats
 * the repository (so that `npm run format` leaves it unchanged). Throws when a marker is missing.
 */
export async function updateOperationsDoc(page: string): Promise<string> {
  const start = page.indexOf(TABLE_START);
  const end = page.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`docs/operations.md must contain ${TABLE_START} and then ${TABLE_END}`);
  }
  const table = renderSettingsTable(describeSettings());
  const updated = `${page.slice(0, start)}${TABLE_START}\n\n${table}\n\n${page.slice(end)}`;
  const options = (await resolveConfig(OPERATIONS_DOC)) ?? {};
  return format(updated, { ...options, filepath: OPERATIONS_DOC });
}

async function main(args: readonly string[]): Promise<number> {
  const current = await readFile(OPERATIONS_DOC, 'utf8');
  const updated = await updateOperationsDoc(current);
  if (args.includes('--check')) {
    if (updated === current) return 0;
    console.error('docs/operations.md is out of date: run npm run docs:operations');
    return 1;
  }
  if (updated !== current) await writeFile(OPERATIONS_DOC, updated);
  console.log(
    updated === current ? 'docs/operations.md is up to date' : 'wrote docs/operations.md',
  );
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
