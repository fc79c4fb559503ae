import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  codeDigits,
  fieldOfLoginError,
  isInternationalNumber,
  isSixDigitCode,
  normalizePhoneInput,
  pathAfterLogin,
  secondsLeft,
} from './login-flow.ts';

describe('normalizePhoneInput', () => {
  test('keeps the international form and drops separators', () => {
    assert.equal(normalizePhoneInput(' +44 7700-900.123 '), '+447700900123');
    assert.equal(normalizePhoneInput('+1 (202) 555 0143'), '+12025550143');
  });

  test('turns the 00 international prefix into +', () => {
    assert.equal(normalizePhoneInput('0086 138 0013 8000'), '+8613800138000');
  });

  test('leaves a national number as typed, for the check to refuse', () => {
    assert.equal(normalizePhoneInput('07700 900123'), '07700900123');
    assert.equal(isInternationalNumber('07700900123'), false);
  });
});

describe('isInternationalNumber', () => {
  test('accepts E.164 lengths only', () => {
    assert.equal(isInternationalNumber('+12025550143'), true);
    assert.equal(isInternationalNumber('+123'), false);
    assert.equal(isInternationalNumber('+0123456789'), false);
    assert.equal(isInternationalNumber('+1234567890123456'), false);
  });
});

describe('codes', () => {
  test('a code is exactly six digits', () => {
    assert.equal(isSixDigitCode('012345'), true);
    assert.equal(isSixDigitCode('12345'), false);
    assert.equal(isSixDigitCode('12345a'), false);
  });

  test('pasted text keeps its first six digits', () => {
    assert.equal(codeDigits('Your code: 123 456.'), '123456');
    assert.equal(codeDigits('1234567'), '123456');
  });
});

describe('secondsLeft', () => {
  test('rounds up and stops at zero', () => {
    assert.equal(secondsLeft(10_000, 0), 10);
    assert.equal(secondsLeft(10_000, 9_001), 1);
    assert.equal(secondsLeft(10_000, 10_000), 0);
    assert.equal(secondsLeft(10_000, 20_000), 0);
  });
});

describe('pathAfterLogin', () => {
  test('the login page and the root lead to the watch list', () => {
    assert.equal(pathAfterLogin('/login'), '/');
    assert.equal(pathAfterLogin('/login/'), '/');
    assert.equal(pathAfterLogin('/'), '/');
  });

  test('a deep link is kept', () => {
    assert.equal(pathAfterLogin('/watches/abc/history'), null);
    assert.equal(pathAfterLogin('/account'), null);
  });
});

describe('fieldOfLoginError', () => {
  const error = (code: string, fields: string[] = []) => ({
    code,
    details: fields.map((field) => ({ field, message: 'bad' })),
  });

  test('number problems go under the number', () => {
    assert.equal(fieldOfLoginError(error('countryNotAllowed'), 'code'), 'phone');
    assert.equal(fieldOfLoginError(error('tooManyCodes'), 'code'), 'phone');
    assert.equal(fieldOfLoginError(error('invalidPhone'), 'password'), 'phone');
  });

  test('too many tries go under what was being tried', () => {
    assert.equal(fieldOfLoginError(error('tooManyAttempts'), 'code'), 'code');
    assert.equal(fieldOfLoginError(error('tooManyAttempts'), 'password'), 'password');
  });

  test('a refused field of the request goes under that field', () => {
    assert.equal(fieldOfLoginError(error('invalidRequest', ['code']), 'code'), 'code');
    assert.equal(fieldOfLoginError(error('invalidRequest', ['other']), 'code'), null);
  });

  test('network and server errors belong to the whole form', () => {
    assert.equal(fieldOfLoginError(error('network'), 'code'), null);
    assert.equal(fieldOfLoginError(new Error('boom'), 'code'), null);
  });
});
