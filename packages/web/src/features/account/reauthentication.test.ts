import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../api/client.ts';
import { ReauthenticationCancelled, withReauthentication } from './reauthentication.ts';

const required = () => new ApiError(403, 'reauthenticationRequired', 'Confirm it is you.', []);

describe('withReauthentication', () => {
  test('an action that succeeds never asks', async () => {
    let asked = 0;
    const result = await withReauthentication(
      () => Promise.resolve('done'),
      () => {
        asked += 1;
        return Promise.resolve();
      },
    );
    assert.equal(result, 'done');
    assert.equal(asked, 0);
  });

  test('asks once, then runs the action again', async () => {
    let calls = 0;
    const result = await withReauthentication(
      () => {
        calls += 1;
        return calls === 1 ? Promise.reject(required()) : Promise.resolve(calls);
      },
      () => Promise.resolve(),
    );
    assert.equal(result, 2);
  });

  test('a cancelled confirmation leaves the action undone', async () => {
    let calls = 0;
    await assert.rejects(
      withReauthentication(
        () => {
          calls += 1;
          return Promise.reject(required());
        },
        () => Promise.reject(new ReauthenticationCancelled()),
      ),
      ReauthenticationCancelled,
    );
    assert.equal(calls, 1);
  });

  test('other errors pass through without asking', async () => {
    let asked = false;
    await assert.rejects(
      withReauthentication(
        () => Promise.reject(new ApiError(400, 'invalidRequest', 'no', [])),
        () => {
          asked = true;
          return Promise.resolve();
        },
      ),
      /no/,
    );
    assert.equal(asked, false);
  });
});
