/** One MQTT connection attempt's options. sdk-core owns reconnecting; a transport never reconnects. */
export interface ConnectOptions {
  url: string;
  clientId: string;
  username: string;
  password: string;
  keepaliveS: number;
  connectTimeoutMs: number;
  will?: { topic: string; payload: Uint8Array; qos: 0 | 1 };
}

export interface TransportEvents {
  message(topic: string, payload: Uint8Array): void;
  /** The connection ended (lost, refused later, or closed by us). Called once. */
  close(reason: string): void;
}

export interface TransportConnection {
  /** QoS 1 resolves once the broker acknowledged (PUBACK). */
  publish(topic: string, payload: Uint8Array, qos: 0 | 1): Promise<void>;
  /** Rejects when the broker refuses the subscription. */
  subscribe(topic: string, qos: 0 | 1): Promise<void>;
  close(): Promise<void>;
}

/** Failure to connect; `auth` means the broker refused the credentials (refresh the token). */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly kind: 'auth' | 'network',
  ) {
    super(message);
  }
}

/** A transport: connects once, resolves when connected (CONNACK accepted), rejects with TransportError. */
export type Transport = (options: ConnectOptions, events: TransportEvents) => Promise<TransportConnection>;
