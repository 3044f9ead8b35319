// Voice clips made at test time with Debian's ffmpeg (a sine tone), in the formats WeChat's recorder and
// browsers' MediaRecorder produce, and a probe of what the server stored.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ClipFormat =
  | 'adts-aac' // WeChat `aac` on Android
  | 'm4a-aac' // WeChat `aac` on iOS
  | 'mp4-aac' // Safari's MediaRecorder
  | 'mp3' // WeChat `mp3`
  | 'wav' // WeChat `wav`
  | 'amr-nb'
  | 'ogg-opus' // Firefox's MediaRecorder
  | 'webm-opus'; // Chromium's MediaRecorder

/** Output options per format; `file` formats need a seekable output (the MP4 index is written last). */
const OUTPUT: Record<Exclude<ClipFormat, 'amr-nb'>, { args: string[]; file?: string }> = {
  'adts-aac': { args: ['-c:a', 'aac', '-b:a', '48k', '-f', 'adts'] },
  'm4a-aac': { args: ['-c:a', 'aac', '-b:a', '48k', '-f', 'ipod'], file: 'clip.m4a' },
  'mp4-aac': { args: ['-c:a', 'aac', '-b:a', '48k', '-f', 'mp4'], file: 'clip.mp4' },
  mp3: { args: ['-c:a', 'libmp3lame', '-b:a', '32k', '-f', 'mp3'] },
  wav: { args: ['-c:a', 'pcm_s16le', '-f', 'wav'], file: 'clip.wav' },
  'ogg-opus': { args: ['-c:a', 'libopus', '-b:a', '24k', '-f', 'ogg'] },
  // Written to a pipe like MediaRecorder's stream: no duration in the header.
  'webm-opus': { args: ['-c:a', 'libopus', '-b:a', '24k', '-f', 'webm'] },
};

async function ffmpeg(args: string[]): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', ...args], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/**
 * AMR-NB: Debian's ffmpeg decodes it but has no encoder (no libopencore-amrnb), so the clip is built
 * from its format (RFC 4867 §5): the `#!AMR\n` magic, then 20 ms frames of mode 7 (12.2 kbit/s: a header
 * byte and 31 bytes of speech parameters; every bit pattern is a valid frame). Deterministic noise.
 */
function amrNb(seconds: number): Buffer {
  const frames: Buffer[] = [Buffer.from('#!AMR\n', 'latin1')];
  let seed = 12345;
  for (let i = 0; i < Math.round(seconds * 50); i++) {
    const frame = Buffer.alloc(32);
    frame[0] = 0x3c; // frame type 7, quality bit set
    for (let j = 1; j < 32; j++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      frame[j] = seed >>> 24;
    }
    frames.push(frame);
  }
  return Buffer.concat(frames);
}

/**
 * A mono sine tone of `seconds` in `format`, 16 kHz (48 kHz for Opus), as a recorder would save it;
 * `title` is written as a metadata tag where the format has tags.
 */
export async function voiceClip(format: ClipFormat, seconds = 3, title?: string): Promise<Buffer> {
  if (format === 'amr-nb') return amrNb(seconds);
  const rate = format.endsWith('opus') ? 48_000 : 16_000;
  const input = [
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${String(rate)}:duration=${String(seconds)}`],
    ...(title === undefined ? [] : ['-metadata', `title=${title}`]),
  ];
  const { args, file } = OUTPUT[format];
  if (!file) return ffmpeg([...input, '-ac', '1', ...args, 'pipe:1']);
  const dir = await mkdtemp(join(tmpdir(), 'kefu-test-clip-'));
  try {
    await ffmpeg([...input, '-ac', '1', ...args, '-y', join(dir, file)]);
    return await readFile(join(dir, file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An MP4 with a video track and no audio (a screen recording sent as voice). */
export async function silentVideo(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'kefu-test-clip-'));
  try {
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc=duration=1:size=64x64:rate=10',
      '-c:v',
      'mpeg4',
      '-y',
      join(dir, 'v.mp4'),
    ]);
    return await readFile(join(dir, 'v.mp4'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ProbedAudio {
  formatName: string;
  codecName: string;
  channels: number;
  sampleRate: number;
  bitRate: number;
  /** Seconds, without the encoder's start delay. */
  duration: number;
  tags: Record<string, string>;
}

/** What ffprobe makes of stored bytes (throws when it cannot read them). */
export async function probeAudio(data: Buffer): Promise<ProbedAudio> {
  const dir = await mkdtemp(join(tmpdir(), 'kefu-test-probe-'));
  try {
    await writeFile(join(dir, 'clip'), data);
    const { stdout } = await run('ffprobe', [
      ...['-v', 'error', '-of', 'json', '-show_entries'],
      'stream=codec_name,codec_type,channels,sample_rate,bit_rate,duration,start_time:format=format_name:format_tags',
      join(dir, 'clip'),
    ]);
    const json = JSON.parse(stdout) as {
      streams: Record<string, string | number>[];
      format: { format_name: string; tags?: Record<string, string> };
    };
    const audio = json.streams.filter((s) => s['codec_type'] === 'audio');
    if (audio.length !== 1 || json.streams.length !== 1) throw new Error('expected exactly one audio stream');
    const s = audio[0]!;
    return {
      formatName: json.format.format_name,
      codecName: String(s['codec_name']),
      channels: Number(s['channels']),
      sampleRate: Number(s['sample_rate']),
      bitRate: Number(s['bit_rate']),
      duration: Number(s['duration']) - Number(s['start_time'] ?? 0),
      tags: json.format.tags ?? {},
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The first `keep` bytes of a real clip (its magic header) followed by bytes no decoder accepts. */
export function damagedClip(clip: Buffer, keep: number): Buffer {
  return Buffer.concat([clip.subarray(0, keep), Buffer.alloc(4000, 0x41)]);
}
