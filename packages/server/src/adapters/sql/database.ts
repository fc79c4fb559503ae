import type { Generated, Kysely } from 'kysely';

/**
 * The schema as kysely sees it. Times are epoch milliseconds; booleans are 0/1 integers
 * (SQLite has no boolean type); `sealed` columns hold FieldCipher output.
 */
export interface Database {
  watches: WatchesTable;
  unknown_watch_sightings: UnknownWatchSightingsTable;
  watch_status: WatchStatusTable;
  security_events: SecurityEventsTable;
  watch_keys: WatchKeysTable;
  positions: PositionsTable;
  alarms: AlarmsTable;
  commands: CommandsTable;
  watch_twin: WatchTwinTable;
  cell_towers: CellTowersTable;
  wifi_access_points: WifiAccessPointsTable;
  images: ImagesTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  one_time_codes: OneTimeCodesTable;
  rate_counters: RateCountersTable;
  guardianships: GuardianshipsTable;
  child_profiles: ChildProfilesTable;
  watch_claims: WatchClaimsTable;
  invitations: InvitationsTable;
  notices: NoticesTable;
  activity_log: ActivityLogTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  zones: ZonesTable;
  zone_states: ZoneStatesTable;
  zone_events: ZoneEventsTable;
  watch_settings: WatchSettingsTable;
  notification_settings: NotificationSettingsTable;
  push_subscriptions: PushSubscriptionsTable;
}

export type Db = Kysely<Database>;

export interface WatchesTable {
  id: string;
  device_id: string;
  provisioned_at: number;
  vendor: string | null;
  first_seen_at: number | null;
  last_seen_at: number | null;
  last_address: string | null;
  imei: string | null;
  iccid: string | null;
  is_possible_clone: Generated<number>;
  /** A demo family's watch: deleted with its family at this time. */
  demo_expires_at: number | null;
}

export interface UnknownWatchSightingsTable {
  device_id: string;
  first_seen_at: number;
  last_seen_at: number;
  last_address: string;
  sightings: number;
}

export interface WatchStatusTable {
  watch_id: string;
  battery_percent: number | null;
  gsm_signal_percent: number | null;
  steps: number | null;
  alarm_bits: number | null;
  state_bits: number | null;
  is_online: number;
  updated_at: number;
}

export interface SecurityEventsTable {
  id: Generated<number>;
  watch_id: string | null;
  device_id: string;
  kind: string;
  /** JSON object. */
  details: string;
  occurred_at: number;
}

export interface WatchKeysTable {
  watch_id: string;
  wrapped_key: Uint8Array;
  master_key_id: string;
  created_at: number;
}

export interface PositionsTable {
  id: Generated<number>;
  watch_id: string;
  recorded_at: number;
  received_at: number;
  source: string;
  is_buffered: number;
  /** Comma-separated flag names; empty when none. */
  flags: string;
  /** Coordinates, accuracy, speed, course, altitude: see position-fields.ts. */
  sealed: Uint8Array;
}

export interface AlarmsTable {
  id: Generated<number>;
  watch_id: string;
  /** Comma-separated alarm kinds. */
  kinds: string;
  recorded_at: number;
  received_at: number;
  source: string;
  /** Coordinates and accuracy, in the layout of positions. */
  sealed: Uint8Array;
}

export interface CommandsTable {
  id: Generated<number>;
  watch_id: string;
  type: string;
  /** Sealed JSON: payloads carry phone numbers and names. */
  payload_sealed: Uint8Array;
  status: string;
  created_at: number;
  sent_at: number | null;
  settled_at: number | null;
  expires_at: number | null;
  attempts: Generated<number>;
}

export interface WatchTwinTable {
  watch_id: string;
  key: string;
  /** Sealed JSON of each side; null until that side is first set. */
  desired_sealed: Uint8Array | null;
  desired_at: number | null;
  reported_sealed: Uint8Array | null;
  reported_at: number | null;
}

export interface CellTowersTable {
  mcc: number;
  mnc: number;
  lac: number;
  cid: number;
  radio: string | null;
  latitude: number;
  longitude: number;
  range_meters: number;
  samples: number;
  updated_at: number;
}

export interface WifiAccessPointsTable {
  mac: string;
  latitude: number;
  longitude: number;
  accuracy_meters: number;
  samples: number;
  updated_at: number;
}

export interface ImagesTable {
  id: string;
  media_type: string;
  bytes: Uint8Array;
  created_at: number;
}

export interface AccountsTable {
  id: string;
  /** E.164. */
  phone: string;
  nickname: string | null;
  /** argon2id PHC string; null for accounts that log in with SMS codes only. */
  password_hash: string | null;
  avatar_image_id: string | null;
  is_demo: Generated<number>;
  /** Demo accounts only: when the demo family is deleted. */
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  token_hash: string;
  id: string;
  account_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  /** Last time the guardian proved who they are (login or re-authentication). */
  authenticated_at: number;
  user_agent: string;
  address: string;
}

export interface OneTimeCodesTable {
  id: Generated<number>;
  phone: string;
  purpose: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  failed_attempts: Generated<number>;
  used_at: number | null;
}

export interface RateCountersTable {
  key: string;
  window_start: number;
  count: number;
}

export interface GuardianshipsTable {
  watch_id: string;
  account_id: string;
  role: string;
  added_at: number;
}

export interface ChildProfilesTable {
  watch_id: string;
  sealed: Uint8Array;
  avatar_image_id: string | null;
  updated_at: number;
}

export interface WatchClaimsTable {
  id: string;
  watch_id: string;
  account_id: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  failed_attempts: Generated<number>;
  confirmed_at: number | null;
}

export interface InvitationsTable {
  id: string;
  watch_id: string;
  invited_by: string;
  phone: string | null;
  token_hash: string | null;
  status: string;
  accepted_by: string | null;
  created_at: number;
  expires_at: number;
  settled_at: number | null;
}

export interface NoticesTable {
  id: Generated<number>;
  account_id: string;
  watch_id: string | null;
  kind: string;
  /** JSON object. */
  details: string;
  created_at: number;
  read_at: number | null;
}

export interface AlertsTable {
  id: Generated<number>;
  watch_id: string;
  kind: string;
  raised_at: number;
  recorded_at: number | null;
  /** Location and details, as JSON sealed with the watch's data key. */
  sealed: Uint8Array;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  /** The alarm that raised it, for alerts raised with their alarm (migration 0012). */
  alarm_id: number | null;
}

export interface AlertEventsTable {
  id: Generated<number>;
  alert_id: number;
  watch_id: string;
  type: string;
  at: number;
}

export interface ActivityLogTable {
  id: Generated<number>;
  watch_id: string;
  actor_id: string;
  kind: string;
  /** The actor's nickname and the details, as JSON sealed with the watch's data key. */
  sealed: Uint8Array;
  at: number;
}

export interface ZonesTable {
  id: string;
  watch_id: string;
  /** Name, shape and expectations as JSON, sealed with the watch's data key. */
  sealed: Uint8Array;
  has_expectations: number;
  created_at: number;
  updated_at: number;
}

export interface ZoneStatesTable {
  zone_id: string;
  watch_id: string;
  is_inside: number;
  /** Time of the fix that put the watch where it is. */
  since: number;
}

export interface ZoneEventsTable {
  id: Generated<number>;
  watch_id: string;
  zone_id: string;
  /** `enter` or `leave`. */
  kind: string;
  occurred_at: number;
  is_buffered: number;
}

export interface WatchSettingsTable {
  watch_id: string;
  is_zone_only: number;
  updated_at: number;
}

export interface NotificationSettingsTable {
  account_id: string;
  /** JSON object: alert kind -> {push, email}, for the kinds the guardian chose. */
  choices: string;
  email: string | null;
  pending_email: string | null;
  /** Keyed hash of the code sent to the pending address. */
  pending_code_hash: string | null;
  pending_expires_at: number | null;
  pending_failed_attempts: Generated<number>;
  updated_at: number;
}

export interface PushSubscriptionsTable {
  endpoint: string;
  account_id: string;
  /** base64url, as the browser gives them. */
  p256dh: string;
  auth: string;
  created_at: number;
}
