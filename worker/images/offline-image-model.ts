import type { ImageModelV3, ImageModelV3CallOptions, SharedV3Warning } from "@ai-sdk/provider";
import { encodeRgbPng, type RgbBitmap } from "./png-encoder";
import { provenanceTextEntries } from "./image-provenance";

export const OFFLINE_IMAGE_MODEL_ID = "offline-image";

/** Label written into every offline image: it is a stand-in, not a picture of what was asked. */
export const OFFLINE_IMAGE_NOTICE =
  "edgechat offline image model: a deterministic pattern drawn from the prompt's words and colours, not a real image generator";

export interface OfflineImageModelOptions {
  modelId?: string;
  /** The clock for the provenance time (tests pin it). */
  now?: () => Date;
}

/** Largest side the offline model draws; bigger requests are scaled down to fit. */
const MAX_SIDE = 2048;

/**
 * An image model that needs no key and no network: it implements the AI SDK's ImageModelV3 and
 * returns real PNGs, a deterministic pattern of shapes in the prompt's colours (named colours
 * such as "red" or "navy" are used when the prompt has them). Each PNG carries tEXt chunks marking
 * it as AI-generated (model, bot from `providerOptions.edgechat.bot`, time) and as the offline stand-in.
 *
 * @example
 * const { image } = await generateImage({ model: createOfflineImageModel(), prompt: "a red fox", size: "1024x1024" });
 */
export function createOfflineImageModel(options: OfflineImageModelOptions = {}): ImageModelV3 {
  const modelId = options.modelId ?? OFFLINE_IMAGE_MODEL_ID;
  const now = options.now ?? (() => new Date());
  return {
    specificationVersion: "v3",
    provider: "edgechat-offline",
    modelId,
    maxImagesPerCall: 1,
    async doGenerate(call: ImageModelV3CallOptions) {
      const warnings: SharedV3Warning[] = [];
      if (call.files !== undefined || call.mask !== undefined) {
        warnings.push({ type: "unsupported", feature: "files", details: "The offline image model only generates new images." });
      }
      const { width, height } = dimensions(call, warnings);
      const prompt = call.prompt ?? "";
      const bot = botFromProviderOptions(call.providerOptions) ?? "unknown";
      const timestamp = now();
      const text = {
        ...provenanceTextEntries({ model: modelId, bot, createdAt: timestamp.toISOString() }),
        Software: OFFLINE_IMAGE_NOTICE,
      };
      const images: Uint8Array[] = [];
      for (let index = 0; index < call.n; index++) {
        images.push(await encodeRgbPng(drawPromptPattern(prompt, width, height, (call.seed ?? 0) + index), text));
      }
      return { images, warnings, response: { timestamp, modelId, headers: undefined } };
    },
  };
}

function botFromProviderOptions(providerOptions: ImageModelV3CallOptions["providerOptions"]): string | undefined {
  const bot = providerOptions?.edgechat?.bot;
  return typeof bot === "string" ? bot : undefined;
}

function dimensions(call: ImageModelV3CallOptions, warnings: SharedV3Warning[]): { width: number; height: number } {
  let width = 1024;
  let height = 1024;
  const size = call.size ? /^(\d+)x(\d+)$/.exec(call.size) : null;
  const ratio = call.aspectRatio ? /^(\d+):(\d+)$/.exec(call.aspectRatio) : null;
  if (size) {
    width = Number(size[1]);
    height = Number(size[2]);
  } else if (ratio && Number(ratio[1]) > 0 && Number(ratio[2]) > 0) {
    const r = Number(ratio[1]) / Number(ratio[2]);
    [width, height] = r >= 1 ? [1024, Math.round(1024 / r)] : [Math.round(1024 * r), 1024];
  }
  if (width < 1 || height < 1) {
    warnings.push({ type: "other", message: `Size ${call.size} is not drawable; using 1024x1024.` });
    return { width: 1024, height: 1024 };
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  if (scale < 1) warnings.push({ type: "other", message: `Size scaled down to fit ${MAX_SIDE} pixels.` });
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

type Rgb = [number, number, number];

const NAMED_COLOURS: Record<string, Rgb> = {
  red: [220, 38, 38], orange: [234, 88, 12], yellow: [234, 179, 8], gold: [202, 138, 4],
  green: [22, 163, 74], lime: [132, 204, 22], teal: [13, 148, 136], cyan: [6, 182, 212],
  blue: [37, 99, 235], navy: [30, 58, 138], indigo: [79, 70, 229], purple: [147, 51, 234],
  violet: [124, 58, 237], magenta: [192, 38, 211], pink: [236, 72, 153], brown: [120, 72, 36],
  black: [17, 24, 39], white: [248, 250, 252], grey: [107, 114, 128], gray: [107, 114, 128],
  silver: [192, 192, 200], beige: [230, 215, 180],
};

/** FNV-1a: a small, stable string hash. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h >>> 0;
}

/** A small deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hueColour(hue: number, saturation = 0.65, lightness = 0.55): Rgb {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/** The prompt's palette: its named colours in order of appearance, filled up with hues from its words. */
export function promptPalette(prompt: string): Rgb[] {
  const words = prompt.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const palette: Rgb[] = [];
  for (const word of words) {
    const colour = NAMED_COLOURS[word];
    if (colour && !palette.includes(colour)) palette.push(colour);
  }
  const content = words.length > 0 ? words : ["edgechat"];
  for (let i = 0; palette.length < 4; i++) palette.push(hueColour(hash(content[i % content.length]! + i) % 360));
  return palette;
}

/**
 * Draws the pattern for a prompt: a vertical gradient between the first two palette colours, then
 * one shape per word (circle, rectangle or stripe, placed and sized by the word's hash) in the
 * palette's colours. Equal prompts give equal pixels.
 */
export function drawPromptPattern(prompt: string, width: number, height: number, seed = 0): RgbBitmap {
  const palette = promptPalette(prompt);
  const pixels = new Uint8Array(width * height * 3);
  const [top, bottom] = [palette[0]!, palette[1]!];
  for (let y = 0; y < height; y++) {
    const t = height === 1 ? 0 : y / (height - 1);
    const r = Math.round(top[0] + (bottom[0] - top[0]) * t);
    const g = Math.round(top[1] + (bottom[1] - top[1]) * t);
    const b = Math.round(top[2] + (bottom[2] - top[2]) * t);
    for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
      pixels[i] = r;
      pixels[i + 1] = g;
      pixels[i + 2] = b;
    }
  }
  const words = (prompt.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 24);
  const side = Math.min(width, height);
  words.forEach((word, index) => {
    const next = random(hash(word) ^ Math.imul(index + 1, 0x9e3779b1) ^ seed);
    const colour = palette[(2 + index) % palette.length]!;
    const cx = next() * width;
    const cy = next() * height;
    const size = side * (0.06 + next() * 0.18);
    const kind = hash(word) % 3;
    if (kind === 0) fillCircle(pixels, width, height, cx, cy, size, colour);
    else if (kind === 1) fillRect(pixels, width, height, cx - size, cy - size * 0.6, cx + size, cy + size * 0.6, colour);
    else fillRect(pixels, width, height, 0, cy - size * 0.15, width, cy + size * 0.15, colour);
  });
  return { width, height, pixels };
}

function fillRect(pixels: Uint8Array, width: number, height: number, x0: number, y0: number, x1: number, y1: number, c: Rgb) {
  const left = Math.max(0, Math.floor(x0));
  const right = Math.min(width, Math.ceil(x1));
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(height, Math.ceil(y1)); y++) {
    for (let x = left, i = (y * width + left) * 3; x < right; x++, i += 3) {
      pixels[i] = c[0];
      pixels[i + 1] = c[1];
      pixels[i + 2] = c[2];
    }
  }
}

function fillCircle(pixels: Uint8Array, width: number, height: number, cx: number, cy: number, r: number, c: Rgb) {
  for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(height, Math.ceil(cy + r)); y++) {
    const dy = y + 0.5 - cy;
    const half = Math.sqrt(Math.max(0, r * r - dy * dy));
    const left = Math.max(0, Math.floor(cx - half));
    const right = Math.min(width, Math.ceil(cx + half));
    for (let x = left, i = (y * width + left) * 3; x < right; x++, i += 3) {
      pixels[i] = c[0];
      pixels[i + 1] = c[1];
      pixels[i + 2] = c[2];
    }
  }
}
