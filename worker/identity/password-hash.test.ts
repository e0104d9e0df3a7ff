import { describe, expect, it } from "vitest";
import { hashPassword, passwordPepper, PASSWORD_ITERATIONS, verifyPassword } from "./password-hash";

const PEPPER = "pepper-of-at-least-16-characters";

describe("console password hashes", () => {
  it("stores algorithm, 100,000 iterations, a fresh salt and the hash, and verifies only the right password", async () => {
    const first = await hashPassword("correct horse battery", PEPPER);
    const second = await hashPassword("correct horse battery", PEPPER);
    expect(PASSWORD_ITERATIONS).toBe(100_000);
    expect(first).toMatch(/^pbkdf2-sha256-hmacpepper\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword("correct horse battery", first, PEPPER)).toBe(true);
    expect(await verifyPassword("correct horse batterY", first, PEPPER)).toBe(false);
    expect(await verifyPassword("correct horse battery", first, "another-pepper-of-16-chars")).toBe(false);
  });

  it("hashes a password the same however its accents are encoded (NFC)", async () => {
    const stored = await hashPassword("caf\u00e9 au lait s'il vous pla\u00eet", PEPPER);
    expect(await verifyPassword("cafe\u0301 au lait s'il vous plai\u0302t", stored, PEPPER)).toBe(true);
  });

  it("treats malformed hashes and counts above workerd's cap as a mismatch, without throwing", async () => {
    const stored = await hashPassword("pw-pw-pw-pw-pw", PEPPER);
    const [, , salt, hash] = stored.split("$");
    for (const bad of ["", "plain", `pbkdf2-sha256-hmacpepper$200000$${salt}$${hash}`, `pbkdf2-sha256-hmacpepper$0$${salt}$${hash}`, `md5$100000$${salt}$${hash}`, `pbkdf2-sha256-hmacpepper$100000$!!$${hash}`, `${stored}$extra`]) {
      expect(await verifyPassword("pw-pw-pw-pw-pw", bad, PEPPER), bad).toBe(false);
    }
  });

  it("peppers with CONSOLE_PEPPER, else a key derived from SESSION_SECRET, else refuses (503)", async () => {
    expect(await passwordPepper({ CONSOLE_PEPPER: "a-dedicated-pepper-value", SESSION_SECRET: "session-secret-of-32-characters!" })).toBe("a-dedicated-pepper-value");
    const derived = await passwordPepper({ SESSION_SECRET: "session-secret-of-32-characters!" });
    expect(derived).not.toContain("session-secret");
    expect(derived).toBe(await passwordPepper({ SESSION_SECRET: "session-secret-of-32-characters!" }));
    await expect(passwordPepper({})).rejects.toMatchObject({ status: 503, code: "console_disabled" });
  });
});
