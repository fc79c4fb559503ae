import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { describeSettings } from '../packages/server/src/config.ts';
import {
  OPERATIONS_DOC,
  TABLE_END,
  TABLE_START,
  renderSettingsTable,
  updateOperationsDoc,
} from './generate-operations-doc.ts';

test('docs/operations.md is up to date with config.ts (run npm run docs:operations)', async () => {
  const page = await readFile(OPERATIONS_DOC, 'utf8');
  assert.equal(await updateOperationsDoc(page), page);
});

test('the generated table lists every setting with its variable, flag and default', async () => {
  const page = await readFile(OPERATIONS_DOC, 'utf8');
  const table = page.slice(page.indexOf(TABLE_START), page.indexOf(TABLE_END));
  for (const setting of describeSettings()) {
    const row = table.split('\n').find((line) => line.includes(`\`${setting.env}\``));
    assert.ok(row !== undefined, `${setting.env} is in the table`);
    if (setting.flag !== undefined) assert.ok(row.includes(`\`${setting.flag}\``), setting.flag);
  }
});

test('a change to a setting makes the page out of date', async () => {
  const page = await readFile(OPERATIONS_DOC, 'utf8');
  const stale = page.replace('`8080`', '`8081`');
  assert.notEqual(stale, page);
  assert.equal(await updateOperationsDoc(stale), page);
});

test('pipes in a cell are escaped so they do not split the row', () => {
  const [setting] = describeSettings();
  assert.ok(setting !== undefined);
  const table = renderSettingsTable([{ ...setting, type: 'a|b' }]);
  assert.match(table, /a\\\|b/);
});

test('a page without the markers is refused', async () => {
  await assert.rejects(updateOperationsDoc('# Operations\n'), /must contain/);
});
