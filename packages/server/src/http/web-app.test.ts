import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTileUrl } from '../config-values.ts';
import { contentSecurityPolicy } from './web-app.ts';

test('without a tile server, images come from this server only', () => {
  const policy = contentSecurityPolicy(undefined);
  assert.match(policy, /img-src 'self' data: blob:;/);
  assert.match(policy, /script-src 'self';/);
  assert.doesNotMatch(policy, /unsafe-eval/);
});

test("a configured tile server's origin, and only its origin, is allowed for images", () => {
  const policy = contentSecurityPolicy('https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png?key=1');
  assert.match(policy, /img-src 'self' data: blob: https:\/\/\*\.tiles\.example\.org;/);
  assert.match(
    contentSecurityPolicy('http://127.0.0.1:8081/{z}/{x}/{y}.png'),
    /img-src 'self' data: blob: http:\/\/127\.0\.0\.1:8081;/,
  );
  assert.doesNotMatch(policy, /key=1/);
});

test('tile URLs must be http(s) templates with {z}, {x} and {y}', () => {
  assert.equal(
    parseTileUrl(' https://tiles.example.org/{z}/{x}/{y}.png '),
    'https://tiles.example.org/{z}/{x}/{y}.png',
  );
  assert.throws(() => parseTileUrl('https://tiles.example.org/{z}/{x}.png'), /\{y\} is missing/);
  assert.throws(() => parseTileUrl('ftp://tiles.example.org/{z}/{x}/{y}.png'), /http/);
  assert.throws(() => parseTileUrl('not a url {z}{x}{y}'), /http/);
});
