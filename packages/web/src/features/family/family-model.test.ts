import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Guardian, Invitation } from '../../api/types.ts';
import {
  initialOfGuardian,
  invitationUrl,
  isOpenInvitation,
  orderGuardians,
  orderInvitations,
  tokenFromHash,
} from './family-model.ts';

function guardian(accountId: string, role: Guardian['role'], addedAt: string): Guardian {
  return { accountId, role, addedAt, nickname: null, phone: '+12025550100', hasAvatar: false };
}

function invitation(
  id: string,
  status: Invitation['status'],
  createdAt: string,
  expiresAt = '2026-01-08T00:00:00.000Z',
): Invitation {
  return {
    id,
    status,
    createdAt,
    expiresAt,
    watchId: 'w',
    invitedBy: 'a',
    phone: null,
    acceptedBy: status === 'accepted' ? 'b' : null,
  };
}

const NOW = Date.parse('2026-01-02T00:00:00.000Z');

describe('guardians', () => {
  test('the admin first, then you, then the others by when they joined', () => {
    const ordered = orderGuardians(
      [
        guardian('late', 'guardian', '2026-01-03T00:00:00Z'),
        guardian('me', 'guardian', '2026-01-04T00:00:00Z'),
        guardian('early', 'guardian', '2026-01-02T00:00:00Z'),
        guardian('boss', 'admin', '2026-01-01T00:00:00Z'),
      ],
      'me',
    );
    assert.deepEqual(
      ordered.map((g) => g.accountId),
      ['boss', 'me', 'early', 'late'],
    );
  });

  test('initials come from the nickname, else a phone glyph', () => {
    assert.equal(initialOfGuardian({ nickname: 'anna' }), 'A');
    assert.equal(initialOfGuardian({ nickname: '王芳' }), '王');
    assert.equal(initialOfGuardian({ nickname: null }), '☎');
    assert.equal(initialOfGuardian({ nickname: '  ' }), '☎');
  });
});

describe('invitations', () => {
  test('open means waiting and not expired', () => {
    assert.equal(isOpenInvitation(invitation('a', 'pending', '2026-01-01T00:00:00Z'), NOW), true);
    assert.equal(isOpenInvitation(invitation('a', 'accepted', '2026-01-01T00:00:00Z'), NOW), true);
    assert.equal(isOpenInvitation(invitation('a', 'approved', '2026-01-01T00:00:00Z'), NOW), false);
    assert.equal(
      isOpenInvitation(
        invitation('a', 'pending', '2025-12-01T00:00:00Z', '2025-12-08T00:00:00Z'),
        NOW,
      ),
      false,
    );
  });

  test('those waiting for approval first, then pending, then closed, newest first', () => {
    const ordered = orderInvitations(
      [
        invitation('revoked', 'revoked', '2026-01-01T05:00:00Z'),
        invitation('old-pending', 'pending', '2026-01-01T01:00:00Z'),
        invitation('new-pending', 'pending', '2026-01-01T03:00:00Z'),
        invitation('accepted', 'accepted', '2026-01-01T00:00:00Z'),
      ],
      NOW,
    );
    assert.deepEqual(
      ordered.map((i) => i.id),
      ['accepted', 'new-pending', 'old-pending', 'revoked'],
    );
  });

  test('a link path becomes a full address on this server', () => {
    assert.equal(
      invitationUrl('https://kin.example.org', '/invite#abcDEF123_-abcDEF123'),
      'https://kin.example.org/invite#abcDEF123_-abcDEF123',
    );
  });

  test('the token comes from the fragment, and only a well-formed one', () => {
    assert.equal(tokenFromHash('#abcDEF123_-abcDEF123xyz'), 'abcDEF123_-abcDEF123xyz');
    assert.equal(tokenFromHash('abcDEF123_-abcDEF123xyz'), 'abcDEF123_-abcDEF123xyz');
    assert.equal(tokenFromHash(''), null);
    assert.equal(tokenFromHash('#short'), null);
    assert.equal(tokenFromHash('#abc def 123 456 789 012'), null);
    assert.equal(tokenFromHash('#%E0%A4%A'), null);
  });
});
