import { HttpError } from "../http/http-error";
import { loadImage } from "../images/image-store";
import type { RouteContext } from "./route-context";

/** Generated images never change, so caches may keep them for a year without asking again. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * GET /v1/images/:id: a generated image with its stored content type, `nosniff`, an immutable
 * cache header, and a sandboxing CSP in case someone opens it as a page. Unknown or malformed
 * ids get a 404 JSON error.
 */
export async function handleImage({ request, env, params }: RouteContext): Promise<Response> {
  const id = params.id ?? "";
  const object = env.IMAGES ? await loadImage(env.IMAGES, id, request.headers) : null;
  if (!object) throw new HttpError(404, "image_not_found", "No image with this id exists.");

  const headers = new Headers({
    "content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
    "x-content-type-options": "nosniff",
    "cache-control": IMMUTABLE,
    etag: object.httpEtag,
    "content-security-policy": "default-src 'none'; sandbox",
    "cross-origin-resource-policy": "cross-origin",
    "content-disposition": "inline",
  });
  if (object.customMetadata?.provenance) headers.set("x-edgechat-provenance", object.customMetadata.provenance);
  if (!hasBody(object)) return new Response(null, { status: 304, headers });
  headers.set("content-length", String(object.size));
  return new Response(request.method === "HEAD" ? null : object.body, { headers });
}

/** R2 answers a failed precondition (If-None-Match matched) with the object's metadata but no body. */
function hasBody(object: R2Object | R2ObjectBody): object is R2ObjectBody {
  return "body" in object && object.body !== undefined;
}
