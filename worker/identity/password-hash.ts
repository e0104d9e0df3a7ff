import { HttpError } from "../http/http-error";

/**
 * PBKDF2-HMAC-SHA256 iterations. OWASP advises 600,000, but workerd (and Cloudflare Workers) refuse more
 * than 100,000 ("iteration counts above 100000 are not supported", cloudflare/workerd#1346), so we use the
 * maximum and add a pepper: the password is first keyed with HMAC-SHA256 under a deployment secret that
 * is not in the database, as OWASP's Password Storage Cheat Sheet describes. A stolen database alone then
 * allows no offline guessing at all.
 */
export const PASSWORD_ITERATIONS = 100_000;
/** The highest count workerd computes; a stored hash claiming more is refused, not attempted. */
const MAX_ITERATIONS = 100_000;
const ALGORITHM = "pbkdf2-sha256-hmacpepper";
const SALT_BYTES = 16;
const HASH_BITS = 256;

/** Shortest and longest password a member may choose. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const encoder = new TextEncoder();

/**
 * Hashes a password for storage: `pbkdf2-sha256-hmacpepper$<iterations>$<salt b64>$<hash b64>`, with a new
 * random salt each time. The algorithm and count are stored so hashes can be upgraded later.
 *
 * @example
 * const stored = await hashPassword("correct horse battery", pepper);
 */
export async function hashPassword(password: string, pepper: string, iterations = PASSWORD_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, pepper, salt, iterations);
  return `${ALGORITHM}$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

/**
 * Whether `password` matches a stored hash (compared in constant time). A malformed hash, another
 * algorithm or a count above workerd's cap is a mismatch, never an exception.
 */
export async function verifyPassword(password: string, stored: string, pepper: string): Promise<boolean> {
  const [algorithm, count, salt, hash, extra] = stored.split("$");
  const iterations = Number(count);
  if (algorithm !== ALGORITHM || extra !== undefined || !salt || !hash) return false;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) return false;
  let expected: Uint8Array;
  let saltBytes: Uint8Array;
  try {
    expected = fromBase64(hash);
    saltBytes = fromBase64(salt);
  } catch {
    return false;
  }
  const actual = await derive(password, pepper, saltBytes, iterations);
  return actual.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(actual, expected);
}

/**
 * A hash of no one's password, verified when the name is unknown so that an unknown name costs the same
 * time as a wrong password (and the answer cannot tell them apart).
 */
export async function dummyPasswordHash(pepper: string): Promise<string> {
  dummy ??= hashPassword(crypto.randomUUID(), pepper);
  return dummy;
}
let dummy: Promise<string> | undefined;

/**
 * The pepper: CONSOLE_PEPPER if set, else a key derived from SESSION_SECRET (so `npm start` and a deployment
 * with sessions need no extra secret). Changing the secret the pepper comes from invalidates every password
 * (members then need a new invitation). Without either secret the console is off (503).
 */
export async function passwordPepper(env: { CONSOLE_PEPPER?: string; SESSION_SECRET?: string }): Promise<string> {
  if (env.CONSOLE_PEPPER && env.CONSOLE_PEPPER.length >= 16) return env.CONSOLE_PEPPER;
  if (env.SESSION_SECRET && env.SESSION_SECRET.length >= 16) {
    return toBase64(await hmac(env.SESSION_SECRET, "edgechat console password pepper v1"));
  }
  throw new HttpError(503, "console_disabled", "The console needs a secret: set CONSOLE_PEPPER or SESSION_SECRET (at least 16 characters) on the worker.");
}

async function derive(password: string, pepper: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  // NFC: the same password typed on different systems (composed or decomposed accents) hashes the same.
  const peppered = await hmac(pepper, password.normalize("NFC"));
  const key = await crypto.subtle.importKey("raw", peppered, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

async function hmac(secret: string, message: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
