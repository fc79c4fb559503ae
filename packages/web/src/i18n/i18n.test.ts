import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialLanguage } from './initial-language.ts';

test('the stored choice wins over the browser languages', () => {
  assert.equal(initialLanguage('en', ['zh-CN']), 'en');
  assert.equal(initialLanguage('zh', ['en-US']), 'zh');
});

test('otherwise the first browser language the app speaks', () => {
  assert.equal(initialLanguage(null, ['fr-FR', 'zh-Hans-CN', 'en']), 'zh');
  assert.equal(initialLanguage(null, ['de', 'en-GB']), 'en');
  assert.equal(initialLanguage('klingon', ['fr']), 'en');
});
