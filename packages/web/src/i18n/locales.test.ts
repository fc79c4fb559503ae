import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const LOCALES = fileURLToPath(new URL('./locales', import.meta.url));

function flatten(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (typeof value === 'string') out.set(prefix, value);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      flatten(inner, prefix === '' ? key : `${prefix}.${key}`, out);
    }
  } else out.set(prefix, String(value));
  return out;
}

function load(language: string): Map<string, Map<string, string>> {
  const namespaces = new Map<string, Map<string, string>>();
  for (const file of readdirSync(join(LOCALES, language)).filter((name) =>
    name.endsWith('.json'),
  )) {
    const strings = JSON.parse(readFileSync(join(LOCALES, language, file), 'utf8')) as unknown;
    namespaces.set(file.replace(/\.json$/, ''), flatten(strings, '', new Map()));
  }
  return namespaces;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

// i18next plural forms: English has _one/_other, Chinese only _other.
const baseKey = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('translations', () => {
  const english = load('en');
  const chinese = load('zh');

  test('every namespace exists in both languages', () => {
    assert.ok(english.size > 0);
    assert.deepEqual([...chinese.keys()].sort(), [...english.keys()].sort());
  });

  for (const [namespace, strings] of english) {
    test(`${namespace}: every English string has a Chinese one with the same placeholders`, () => {
      const other = chinese.get(namespace) ?? new Map<string, string>();
      const otherBases = new Map([...other].map(([key, text]) => [baseKey(key), text]));
      for (const [key, text] of strings) {
        const translated = other.get(key) ?? otherBases.get(baseKey(key));
        assert.ok(translated !== undefined, `zh/${namespace}.json lacks ${key}`);
        assert.notEqual(translated.trim(), '', `zh/${namespace}.json has an empty ${key}`);
        assert.deepEqual(
          placeholders(translated),
          placeholders(text),
          `zh/${namespace}.json ${key} has other placeholders`,
        );
      }
      const englishBases = new Set([...strings.keys()].map(baseKey));
      for (const key of other.keys()) {
        assert.ok(
          englishBases.has(baseKey(key)),
          `zh/${namespace}.json has ${key}, English has not`,
        );
      }
    });
  }
});
