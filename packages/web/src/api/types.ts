import type { components } from './openapi.gen.ts';

type Schemas = components['schemas'];

export type Account = Schemas['Account'];
export type Watch = Schemas['Watch'];
export type Child = Schemas['Child'];
export type Guardian = Schemas['Guardian'];
export type Invitation = Schemas['Invitation'];
export type Session = Schemas['Session'];
export type Notice = Schemas['Notice'];
export type Alert = Schemas['Alert'];
export type ActivityEntry = Schemas['ActivityEntry'];
export type Position = Schemas['Position'];
export type NotificationSettings = Schemas['NotificationSettings'];
export type Zone = Schemas['Zone'];
export type ZoneShape = Zone['shape'];
export type ZoneExpectation = Zone['expectations'][number];
export type ZoneEvent = Schemas['ZoneEvent'];
export type PositionSource = Position['source'];
