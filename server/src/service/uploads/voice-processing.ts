import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, ValidationError } from '../../errors.js';
import { runTool, ToolMissingError, type ToolResult } from '../../infra/run-tool.js';
import type { Logger } from '../../log.js';
import type { MediaType } from './media-types.js';

/**
 * What every stored voice clip is: MP3, mono, 22.05 kHz, 32 kbit/s CBR, no tags. The one format that
 * every browser (Chromium builds without proprietary codecs included, Firefox without a system AAC
 * decoder, Safari) and WeChat's InnerAudioContext (iOS and Android) play; speech needs no more
 * (≈240 KB per minute). server/README.md, "Voice clips", has the reasoning.
 */
export const VOICE_OUTPUT: MediaType = { mimeType: 'audio/mpeg', ext: 'mp3' };
const SAMPLE_RATE = 22_050;
const BITRATE = '32k';

/** ffmpeg demuxer per detected type (file-type's name): never let ffmpeg guess (HLS/concat playlists). */
const DEMUXERS: Record<string, string> = {
  mp3: 'mp3',
  aac: 'aac',
  m4a: 'mov',
  mp4: 'mov',
  amr: 'amr',
  ogg: 'ogg',
  oga: 'ogg',
  opus: 'ogg',
  webm: 'matroska',
  wav: 'wav',
};

const PROBE_TIMEOUT_MS = 10_000;
const CONVERT_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 64 * 1024;
/** A recorder stopped at exactly the limit may overshoot by a frame or two. */
const DURATION_TOLERANCE_MS = 500;
/** Shorter than this is a tap on the record button, not speech. */
export const MIN_DURATION_MS = 100;

export interface VoiceToolsConfig {
  maxSeconds: number;
  ffmpegPath: string;
  ffprobePath: string;
  /** Where each conversion gets its private directory; default the system's (TMPDIR). */
  tempDir?: string;
}

export interface ConvertedVoice {
  data: Buffer;
  type: MediaType;
  durationMs: number;
}

function damaged(): ValidationError {
  return new ValidationError('The voice clip is damaged or cannot be decoded', { reason: 'damaged' });
}

/** ffmpeg/ffprobe are missing (or unusable): voice clips cannot be checked, so none are accepted. */
export function voiceUnavailable(): AppError {
  return new AppError('unavailable', 'Voice clips cannot be processed on this server right now', {
    reason: 'voice_unavailable',
  });
}

/** At most `limit` conversions at a time per instance; the rest wait their turn. */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

interface ProbeJson {
  streams?: { codec_type?: string; duration?: string; start_time?: string }[];
}

function seconds(value: string | undefined): number | undefined {
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Checks and converts voice clips with Debian's ffmpeg and ffprobe (system programs, spawned without a
 * shell, with time limits). The input is written to a private temporary directory because MP4/M4A
 * keep their index (`moov`) anywhere in the file and need a seekable input.
 */
export class VoiceProcessor {
  private readonly slots = new Slots(Math.max(1, availableParallelism()));
  private availability: Promise<string | undefined> | undefined;

  constructor(
    private readonly config: VoiceToolsConfig,
    private readonly logger: Logger,
  ) {}

  /**
   * Whether ffmpeg (with the MP3 encoder) and ffprobe run; undefined when they do, else what is wrong.
   * Checked once; a warning is logged once when they do not (the server runs without voice clips).
   */
  check(): Promise<string | undefined> {
    this.availability ??= this.findProblem().then((problem) => {
      if (problem) {
        this.logger.warn(
          { ffmpeg: this.config.ffmpegPath, ffprobe: this.config.ffprobePath, problem },
          'voice clips are refused: ffmpeg/ffprobe unusable (install Debian package ffmpeg, or set FFMPEG_PATH/FFPROBE_PATH)',
        );
      }
      return problem;
    });
    return this.availability;
  }

  private async findProblem(): Promise<string | undefined> {
    const limits = { timeoutMs: PROBE_TIMEOUT_MS, maxOutputBytes: 256 * 1024 };
    try {
      const probe = await runTool(this.config.ffprobePath, ['-hide_banner', '-version'], limits);
      if (probe.code !== 0) return `${this.config.ffprobePath} -version exited with ${String(probe.code)}`;
      const ffmpeg = await runTool(this.config.ffmpegPath, ['-hide_banner', '-encoders'], limits);
      if (ffmpeg.code !== 0) return `${this.config.ffmpegPath} -encoders exited with ${String(ffmpeg.code)}`;
      if (!/\blibmp3lame\b/.test(ffmpeg.stdout)) return `${this.config.ffmpegPath} has no libmp3lame encoder`;
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  /**
   * Decodes the clip (`format`: the type detected from its magic bytes), refuses it when it has no
   * audio, cannot be decoded, is shorter than MIN_DURATION_MS or longer than the configured maximum,
   * and re-encodes it as VOICE_OUTPUT. The duration is the converted clip's, measured here.
   */
  async convert(input: Buffer, format: string): Promise<ConvertedVoice> {
    if ((await this.check()) !== undefined) throw voiceUnavailable();
    const demuxer = DEMUXERS[format];
    if (!demuxer) throw damaged();
    return this.slots.run(async () => {
      const dir = await mkdtemp(join(this.config.tempDir ?? tmpdir(), 'kefu-voice-'));
      try {
        return await this.convertIn(dir, input, demuxer);
      } finally {
        await rm(dir, { recursive: true, force: true }).catch((err: unknown) => {
          this.logger.error({ err, dir }, 'could not remove the temporary files of a voice clip');
        });
      }
    });
  }

  private async convertIn(dir: string, input: Buffer, demuxer: string): Promise<ConvertedVoice> {
    const maxMs = this.config.maxSeconds * 1000;
    const source = join(dir, 'input');
    const target = join(dir, 'voice.mp3');
    await writeFile(source, input, { mode: 0o600 });

    const probed = await this.probe(['-f', demuxer, source]);
    if (!probed) throw damaged();
    if (!(probed.streams ?? []).some((s) => s.codec_type === 'audio'))
      throw new ValidationError('The file has no audio', { reason: 'no_audio' });
    // Declared durations are not trusted: ADTS and MP3 without a Xing header only have estimates from
    // the bitrate, and MediaRecorder's WebM declares none. The conversion decodes at most one second
    // past the limit (`-t`), so a long clip costs no more than an acceptable one, and is then measured.
    const converted = await this.ffmpeg([
      ...['-nostdin', '-hide_banner', '-v', 'error', '-threads', '1'],
      ...['-protocol_whitelist', 'file', '-f', demuxer, '-i', source],
      // The first audio stream only; no cover art, subtitles, chapters or metadata (names, GPS…).
      ...['-map', '0:a:0', '-vn', '-sn', '-dn', '-map_metadata', '-1', '-map_chapters', '-1'],
      ...['-ac', '1', '-ar', String(SAMPLE_RATE), '-c:a', 'libmp3lame', '-b:a', BITRATE],
      // No ID3 tags; the Xing/Info header gives players the exact duration (CBR, seekable output file).
      ...['-id3v2_version', '0', '-write_id3v1', '0', '-write_xing', '1'],
      ...['-t', String(this.config.maxSeconds + 1), '-f', 'mp3', '-y', target],
    ]);
    if (converted.code !== 0) {
      this.logger.debug({ stderr: converted.stderr }, 'voice clip not decodable');
      throw damaged();
    }
    const output = await this.probe([target]);
    const stream = output?.streams?.find((s) => s.codec_type === 'audio');
    // The encoder's start delay (start_time) is skipped by players (LAME tag): not part of the clip.
    const durationMs = Math.round(
      ((seconds(stream?.duration) ?? 0) - (seconds(stream?.start_time) ?? 0)) * 1000,
    );
    if (durationMs < MIN_DURATION_MS)
      throw new ValidationError('The voice clip has no sound or is too short', { reason: 'too_short' });
    if (durationMs > maxMs + DURATION_TOLERANCE_MS) throw this.tooLong();
    return { data: await readFile(target), type: VOICE_OUTPUT, durationMs };
  }

  private tooLong(): ValidationError {
    return new ValidationError(`The voice clip is longer than ${String(this.config.maxSeconds)} seconds`, {
      reason: 'too_long',
      max_seconds: this.config.maxSeconds,
    });
  }

  private async probe(input: readonly string[]): Promise<ProbeJson | undefined> {
    const result = await this.tool(this.config.ffprobePath, PROBE_TIMEOUT_MS, [
      ...['-hide_banner', '-v', 'error', '-protocol_whitelist', 'file'],
      ...['-show_entries', 'stream=codec_type,duration,start_time', '-of', 'json'],
      ...input,
    ]);
    if (result.code !== 0) return undefined;
    try {
      return JSON.parse(result.stdout) as ProbeJson;
    } catch {
      return undefined;
    }
  }

  private ffmpeg(args: readonly string[]): Promise<ToolResult> {
    return this.tool(this.config.ffmpegPath, CONVERT_TIMEOUT_MS, args);
  }

  /** Runs a tool; a missing tool is a 503, a time-out too (the clip may be fine, the machine busy). */
  private async tool(path: string, timeoutMs: number, args: readonly string[]): Promise<ToolResult> {
    let result: ToolResult;
    try {
      result = await runTool(path, args, { timeoutMs, maxOutputBytes: MAX_OUTPUT_BYTES });
    } catch (err) {
      if (err instanceof ToolMissingError) {
        this.logger.error({ err }, 'voice tool could not be started');
        throw voiceUnavailable();
      }
      throw err;
    }
    if (result.timedOut) {
      this.logger.warn({ path, timeoutMs }, 'voice tool timed out');
      throw new AppError('unavailable', 'Processing the voice clip took too long; try again', {
        reason: 'timeout',
      });
    }
    return result;
  }
}
