// Type declarations for hearth-miniprogram-sdk (docs/miniprogram.md). The wire shapes are those of
// docs/api.md and docs/websocket.md; fields the gateway adds later come through untyped.

export interface Storage {
  get(key: string): any;
  set(key: string, value: any): void;
  remove(key: string): void;
}

export interface ClientOptions {
  /** LAN: `http://192.168.1.20:8080` (or `https://…` with TLS). */
  baseUrl?: string;
  /** Relayed: the relay's address and the home to talk to (may be chosen later with useHome/bindHome). */
  relay?: { url: string; hubId?: string };
  /** Where tokens are kept: `{get, set, remove}` or an object with wx's *StorageSync calls. Default: `wx`. */
  storage?: Storage | object;
  /** The `wx` to use (default: the global one). Tests pass a shim. */
  wx?: any;
  /** Requests in flight at once (default 10, wx's limit; lower it if the app makes its own wx.request calls). */
  maxConcurrent?: number;
  /** Refresh the access token this long before it expires (default 60000). */
  refreshMarginMs?: number;
  /** Retries of a GET or a command whose request failed without an answer (default 3). */
  retries?: number;
  retryDelayMs?: number;
  /** `ping` interval on the socket (default 20000) and how long a pong may take (default 5000). */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  /** Reconnect backoff bounds (default 500 / 30000). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a reconnect waits for the old socket's close event (default 2000), so the app never holds two. */
  closeWaitMs?: number;
  /** Socket request timeout (default 15000). */
  requestTimeoutMs?: number;
  /** The `client` name sent when pairing (default 'mini-program'). */
  clientName?: string;
  now?: () => number;
}

export type Role = 'owner' | 'member' | 'guest';

export interface User {
  id: string;
  name: string;
  role: Role;
  devices?: string[];
}

export interface Device {
  id: string;
  name: string;
  room?: string;
  profile: string;
  protocol: string;
  supports?: { read: string[]; set: string[]; actions: string[] };
  online: boolean;
  offlineReason?: string;
  lastSeen?: string;
  version: number;
  state: Record<string, any>;
  pending: Record<string, any>;
  updatedAt: Record<string, string>;
  [extra: string]: any;
}

export type CommandStatus = 'pending' | 'sent' | 'succeeded' | 'failed' | 'timed_out' | 'unknown' | 'superseded';

export interface CommandAnswer {
  commandId: string;
  status: CommandStatus;
  device?: string;
  state?: Record<string, any>;
  version?: number;
  supersededBy?: string;
}

export interface CommandOptions {
  wait?: boolean;
  timeoutMs?: number;
  deliverWhen?: 'now' | 'nextWake';
  expiresInMs?: number;
  /** Default: a new random key per call, reused by the SDK's own retries. */
  idempotencyKey?: string;
}

export interface CommandInfo {
  commandId: string;
  status: CommandStatus;
  error?: string;
  createdAt: string;
  completedAt?: string;
  deliverWhen?: 'nextWake';
  expiresAt?: string;
}

export interface HistoryQuery {
  property: string;
  from?: string | Date;
  to?: string | Date;
  /** Buckets instead of raw points, e.g. '60s', '1h', '1d'. */
  step?: string;
  /** e.g. 'delta' for energy counters. */
  agg?: string;
  [extra: string]: any;
}

export interface Invite {
  code: string;
  role: Role;
  expiresAt: string;
}

export interface Home {
  hubId: string;
  name: string;
  online: boolean;
}

export interface HearthEvent {
  type: 'event';
  subscription: number;
  seq: number;
  kind: 'state' | 'availability' | 'command' | 'event' | 'device';
  device: string;
  ts: string;
  data: any;
}

export interface StoreChange {
  type: 'reset' | 'state' | 'availability' | 'added' | 'removed';
  id?: string;
  device?: Device;
  changes?: Record<string, any>;
}

export interface DeviceStore {
  /** The event seq the store reflects (null before the first load). */
  readonly seq: number | null;
  get(id: string): Device | undefined;
  all(): Device[];
  ids(): string[];
  /** Returns a function that stops the callback. */
  onChange(fn: (change: StoreChange) => void): () => void;
  /** Resolves at the first change (or now) for which the predicate holds. */
  when(predicate: (store: DeviceStore) => boolean, timeoutMs?: number): Promise<DeviceStore>;
}

export type LiveStatus = 'idle' | 'connecting' | 'live' | 'offline' | 'unauthorized';

export declare class HearthError extends Error {
  /** The API's code (`DEVICE_OFFLINE`, `UNAUTHORIZED`, `HUB_OFFLINE`, …) or the SDK's own
   *  (`NETWORK_ERROR`, `NOT_PAIRED`, `NOT_LOGGED_IN`, `NO_HOME`, `SOCKET_CLOSED`, `TIMEOUT`). */
  code: string;
  /** HTTP status, 0 when no answer came. */
  status: number;
  detail?: string;
  errors?: { property: string; message: string }[];
  commandId?: string;
  commandStatus?: CommandStatus;
  /** Seconds to wait (429). */
  retryAfter?: number;
}

export declare class HearthClient {
  readonly mode: 'lan' | 'relay';
  readonly devices: DeviceStore;
  readonly status: LiveStatus;

  apiUrl(): string;
  socketUrl(): string;

  pair(code: string, opts?: { client?: string }): Promise<User>;
  isPaired(): boolean;
  user(): User | null;
  logout(): void;

  login(): Promise<Home[]>;
  homes(): Promise<Home[]>;
  bindHome(args: { hubId: string; code: string; name?: string }): Promise<{ hubId: string; user: User }>;
  unbindHome(hubId: string): Promise<void>;
  useHome(hubId: string | null): void;

  listDevices(filter?: { room?: string; profile?: string }): Promise<Device[]>;
  device(id: string): Promise<Device>;
  profiles(): Promise<any[]>;
  command(id: string, command: { set: Record<string, any> } | { action: string; input?: any }, opts?: CommandOptions): Promise<CommandAnswer>;
  set(id: string, values: Record<string, any>, opts?: CommandOptions): Promise<CommandAnswer>;
  action(id: string, name: string, input?: any, opts?: CommandOptions): Promise<CommandAnswer>;
  commandStatus(id: string, commandId: string): Promise<CommandInfo>;
  history(id: string, query: HistoryQuery): Promise<any>;
  discovery(): Promise<any[]>;
  approve(id: string, body?: { profile?: string; name?: string; room?: string; [k: string]: any }): Promise<Device>;
  createInvite(body: { role: 'member' } | { role: 'guest'; devices: string[] }): Promise<Invite>;
  request<T = any>(method: string, path: string, opts?: { body?: any; query?: Record<string, any>; headers?: Record<string, string>; retries?: number }): Promise<T>;

  connect(): void;
  disconnect(): void;
  subscribe(filter: { devices?: string[]; kinds?: HearthEvent['kind'][] } | null, fn: (event: HearthEvent) => void): () => void;
  onStatus(fn: (status: LiveStatus, error?: HearthError) => void): () => void;
}

export declare function createClient(options: ClientOptions): HearthClient;
