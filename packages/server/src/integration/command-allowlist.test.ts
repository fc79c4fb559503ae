import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALLOWED_COMMANDS } from '@kinwatch/core';
import { KEYWORD_TABLE, commandKeyword } from '@kinwatch/protocol';

test('every allowlisted command is a command the codec can encode', () => {
  for (const type of ALLOWED_COMMANDS) {
    assert.doesNotThrow(() => commandKeyword(type), type);
  }
});

test('the allowlist never holds covert listening or a name the codec does not know', () => {
  const forbidden = KEYWORD_TABLE.filter((e) => e.direction === 'forbidden').map((e) => e.name);
  assert.ok(forbidden.includes('covertListening'));
  for (const name of forbidden)
    assert.equal((ALLOWED_COMMANDS as readonly string[]).includes(name), false);
});
