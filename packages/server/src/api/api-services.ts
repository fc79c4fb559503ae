import type {
  AccountRepository,
  ActivityLog,
  LocationQueryService,
  NotificationSettingsService,
  AccountService,
  AlertService,
  AuthService,
  Bus,
  Clock,
  FamilyService,
  ImageRepository,
  Logger,
  NoticeRepository,
  SessionService,
  WatchClaimService,
  ZoneService,
} from '@kinwatch/core';

/** Starts a demo family: an account with a simulated watch, deleted after a while. */
export interface DemoStarter {
  start(client: { readonly userAgent: string; readonly address: string }): Promise<{
    readonly token: string;
  }>;
}

/** Everything the API's routes call; built by the composition root. */
export interface ApiServices {
  readonly auth: AuthService;
  readonly sessions: SessionService;
  readonly accounts: AccountService;
  readonly accountRepository: AccountRepository;
  readonly images: ImageRepository;
  readonly notices: NoticeRepository;
  readonly claims: WatchClaimService;
  readonly family: FamilyService;
  /** Every guardian's view of who did what to a watch. */
  readonly activity: ActivityLog;
  /** Latest position, locate-now, history, track and export. */
  readonly locations: LocationQueryService;
  /** Safe zones, their arrivals and departures, zone-only mode. */
  readonly zones: ZoneService;
  readonly demo: DemoStarter | undefined;
  readonly clock: Clock;
  readonly alerts: AlertService;
  /** Each guardian's notification channels, choices and push subscriptions. */
  readonly notificationSettings: NotificationSettingsService;
  /** Events of the watches, for the live stream. */
  readonly bus: Bus;
  readonly logger: Logger;
}

export interface ApiOptions {
  /** Sets the Secure flag on the session cookie (serve over HTTPS). */
  readonly isCookieSecure: boolean;
  /** Street tiles for the web app's map; unset: its offline world map only. */
  readonly mapTileUrl?: string | undefined;
  readonly mapTileAttribution?: string | undefined;
}
