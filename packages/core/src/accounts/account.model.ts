/** The server's random, opaque id of a guardian's account. */
export type AccountId = string;

/** A guardian's account as the guardian and the API see it. */
export interface Account {
  readonly id: AccountId;
  /** E.164, e.g. `+447700900123`: the number codes are sent to. */
  readonly phone: string;
  readonly nickname: string | null;
  readonly hasPassword: boolean;
  readonly avatarImageId: string | null;
  /** A throw-away demo account, deleted at `expiresAt`. */
  readonly isDemo: boolean;
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
}

/** What a one-time code may be used for; a code of one purpose never serves another. */
export type CodePurpose = 'login' | 'reauth' | 'changePhoneOld' | 'changePhoneNew';

/** A logged-in browser or app, held server-side; the cookie carries only a random token. */
export interface SessionRecord {
  /** Public id for the list of devices ("log out this device"); not the token. */
  readonly id: string;
  readonly accountId: AccountId;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  /** The last login or re-authentication in this session. */
  readonly authenticatedAt: Date;
  readonly userAgent: string;
  readonly address: string;
}

/** An image kept for an avatar, already checked and stripped of metadata. */
export interface StoredImage {
  readonly id: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

/** Something a guardian must be told about (a guardian added, a watch unbound...). */
export interface Notice {
  readonly id: number;
  readonly watchId: string | null;
  readonly kind: NoticeKind;
  readonly details: Readonly<Record<string, string | null>>;
  readonly createdAt: Date;
  readonly readAt: Date | null;
}

export type NoticeKind =
  | 'guardianAdded'
  | 'guardianRemoved'
  | 'guardianLeft'
  | 'adminChanged'
  | 'watchUnbound'
  | 'invitationAccepted'
  | 'phoneChanged';
