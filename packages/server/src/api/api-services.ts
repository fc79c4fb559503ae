import type {
  AccountRepository,
  AccountService,
  AuthService,
  Clock,
  FamilyService,
  ImageRepository,
  NoticeRepository,
  SessionService,
  WatchClaimService,
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
  readonly demo: DemoStarter | undefined;
  readonly clock: Clock;
}

export interface ApiOptions {
  /** Sets the Secure flag on the session cookie (serve over HTTPS). */
  readonly isCookieSecure: boolean;
}
