import { Duplex } from 'node:stream';

/** The same limit as EMQX's `max_packet_size` in server/deploy/emqx/emqx.conf. */
export const MAX_MQTT_PACKET_BYTES = 128 * 1024;

/**
 * Reads MQTT fixed headers as bytes pass (type byte, then the 1–4 byte "remaining length", MQTT 3.1.1
 * §2.2.3) and says when a packet declares more than `maxBytes`. Aedes has no packet size limit: its parser
 * would buffer a declared 256 MB publish from any signed-in visitor.
 */
export class PacketLengthWatch {
  /** Bytes of the current packet's body still to skip. */
  private skip = 0;
  /** 'type' → 'length' (varint) → body. */
  private state: 'type' | 'length' = 'type';
  private length = 0;
  private multiplier = 1;

  constructor(private readonly maxBytes: number) {}

  /** false once a packet is too large or its length is malformed (the connection must end). */
  feed(chunk: Uint8Array): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      const byte = chunk[i++] ?? 0;
      if (this.state === 'type') {
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      if (this.length > this.maxBytes) return false;
      if (byte & 0x80) {
        this.multiplier *= 128;
        if (this.multiplier > 128 ** 3) return false;
        continue;
      }
      this.skip = this.length;
      this.state = 'type';
    }
    return true;
  }
}

/**
 * The connection as Aedes should see it: the same bytes both ways, but it is destroyed as soon as a
 * packet's header declares more than `maxBytes` (before the body is buffered anywhere).
 */
export function limitPacketSize(
  socket: Duplex,
  maxBytes = MAX_MQTT_PACKET_BYTES,
  onTooLarge: () => void = () => undefined,
): Duplex {
  const watch = new PacketLengthWatch(maxBytes);
  const wrapper = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(err, callback) {
      socket.destroy();
      callback(err);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!watch.feed(chunk)) {
      onTooLarge();
      wrapper.destroy();
      return;
    }
    if (!wrapper.push(chunk)) socket.pause();
  });
  socket.on('end', () => wrapper.push(null));
  socket.on('close', () => wrapper.destroy());
  socket.on('error', (err) => wrapper.destroy(err));
  return wrapper;
}
