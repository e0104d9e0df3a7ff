// The worker `npm run bench` (section "password") drives in workerd: hashes and verifies a console password
// with the product's own code, so the figure is what one sign-in costs the Worker.
import { hashPassword, verifyPassword } from "../identity/password-hash";

const PEPPER = "bench-pepper-of-at-least-16-characters";

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/noop") return Response.json({ ok: true });
    if (pathname === "/hash") {
      const stored = await hashPassword("correct horse battery staple", PEPPER);
      return Response.json({ ok: stored.startsWith("pbkdf2-sha256-hmacpepper$100000$") });
    }
    if (pathname === "/verify") {
      const stored = await hashPassword("correct horse battery staple", PEPPER);
      return Response.json({ ok: await verifyPassword("correct horse battery staple", stored, PEPPER) });
    }
    return new Response("not found", { status: 404 });
  },
};
