import { generateImage, tool, type UIMessageStreamWriter } from "ai";
import type { ImageModelV3 } from "@ai-sdk/provider";
import { z } from "zod";
import type { Bot } from "../bots/bot";
import { imageCostUsd } from "./image-cost";
import { stampPngProvenance, type ImageProvenance } from "./image-provenance";
import { reserveImage, settleImage, type ReservationResult } from "./image-quota";
import { IMAGE_SIZES, IMAGES_PER_CALL, MAX_IMAGE_PROMPT_CHARS, clampImagePrompt, clampImageSize } from "./image-request-limits";
import { imageUrl, newImageId, saveImage } from "./image-store";

export const GENERATE_IMAGE_TOOL_NAME = "generate_image";

/** What the `data-image` part carries (ARCHITECTURE.md, "Wire contract"); its id is the tool call id. */
export type ImagePartData =
  | { state: "generating"; prompt: string }
  | { state: "done"; url: string; mediaType: string; prompt: string }
  | { state: "failed"; prompt: string; message: string };

/** What the model learns from a call. Never the URL: the image is already shown, the model should not repeat it. */
export type GenerateImageToolOutput = { status: "done"; note: string } | { status: "failed"; message: string };

/** Images made during one turn, for the usage and cost metadata. */
export interface ImageTurnUsage {
  images: number;
  imageCostUsd: number;
}

export interface ImageToolDependencies {
  /** The image model (OpenAI's, the offline one, or a mock). */
  model: ImageModelV3;
  /** R2 bucket that stores and serves the images. */
  bucket: R2Bucket;
  /** D1 database with the image_usage table (quotas). */
  db: D1Database;
  bot: Pick<Bot, "id" | "images">;
  /** The conversation the per-session quota counts against. */
  sessionId: string;
  /** The turn's UI message stream: progress parts and the `file` part go here. */
  writer: UIMessageStreamWriter;
  now?: () => Date;
}

/**
 * The `generate_image` tool of one chat turn. Whatever the model asks, the server clamps it: the
 * prompt to MAX_IMAGE_PROMPT_CHARS, the size to IMAGE_SIZES, one image per call, and the bot's
 * per-session and per-day quotas (reserved in D1 before the image model is called). Progress goes
 * to the stream as a `data-image` part (id = tool call id: generating, then done or failed) and a
 * standard `file` part; the model gets a short result so it can tell the visitor what happened.
 *
 * @example
 * const images = createImageTools({ model, bucket: env.IMAGES, db: env.DB, bot, sessionId, writer });
 * streamText({ model: chatModel, tools: images.tools, stopWhen: stepCountIs(3), ... });
 * images.usage(); // { images: 1, imageCostUsd: 0.011 }
 */
export function createImageTools(deps: ImageToolDependencies) {
  const now = deps.now ?? (() => new Date());
  const usage: ImageTurnUsage = { images: 0, imageCostUsd: 0 };

  const generateImageTool = tool({
    description:
      "Generate one image (a picture, diagram, mock-up or illustration) and show it to the visitor inline. " +
      "Use it only when the visitor asks for an image. The image appears in the chat by itself: do not write its URL or Markdown for it. " +
      "If the result says it failed, tell the visitor plainly why.",
    inputSchema: z.object({
      prompt: z.string().describe(`A detailed description of the image to make, at most ${MAX_IMAGE_PROMPT_CHARS} characters.`),
      size: z.string().optional().describe(`One of ${IMAGE_SIZES.join(", ")} (square, landscape, portrait). Default square.`),
    }),
    execute: async (input, { toolCallId, abortSignal }): Promise<GenerateImageToolOutput> => {
      const prompt = clampImagePrompt(input.prompt);
      const size = clampImageSize(input.size);
      const write = (data: ImagePartData) => deps.writer.write({ type: "data-image", id: toolCallId, data });
      const fail = (message: string): GenerateImageToolOutput => {
        write({ state: "failed", prompt, message });
        return { status: "failed", message };
      };

      write({ state: "generating", prompt });
      if (prompt === "") return fail("The image could not be made: the request did not describe an image.");

      const imageId = newImageId();
      const createdAt = now();
      const modelId = deps.model.modelId;
      const costUsd = imageCostUsd(modelId);
      let reservation: ReservationResult;
      try {
        reservation = await reserveImage(deps.db, deps.bot.images, {
          imageId, botId: deps.bot.id, sessionId: deps.sessionId, model: modelId, size, costUsd, now: createdAt,
        });
      } catch (error) {
        console.error("edgechat: image quota check failed", error);
        return fail("The image could not be made right now. Please try again later.");
      }
      if (!reservation.ok) return fail(quotaMessage(reservation));

      try {
        const { image } = await generateImage({
          model: deps.model,
          prompt,
          n: IMAGES_PER_CALL,
          size,
          maxRetries: 1,
          abortSignal,
          providerOptions: { edgechat: { bot: deps.bot.id, tier: "image" } },
        });
        const provenance: ImageProvenance = { model: modelId, bot: deps.bot.id, createdAt: createdAt.toISOString() };
        const bytes = image.mediaType === "image/png" ? stampPngProvenance(image.uint8Array, provenance) : image.uint8Array;
        await saveImage(deps.bucket, { id: imageId, bytes, mediaType: image.mediaType, prompt, provenance });
        await settleImage(deps.db, imageId, "done");
        usage.images += 1;
        usage.imageCostUsd += costUsd;
        const url = imageUrl(imageId);
        write({ state: "done", url, mediaType: image.mediaType, prompt });
        deps.writer.write({ type: "file", url, mediaType: image.mediaType });
        return {
          status: "done",
          note: "The image is now shown to the visitor inline. Do not repeat a URL or Markdown for it; a short remark is enough.",
        };
      } catch (error) {
        console.error("edgechat: image generation failed", error);
        await settleImage(deps.db, imageId, "failed").catch((settleError) => console.error("edgechat: image usage not settled", settleError));
        return fail("The image could not be generated right now. Please try again later.");
      }
    },
  });

  return {
    tools: { [GENERATE_IMAGE_TOOL_NAME]: generateImageTool },
    /** Images made so far in this turn and what they cost. */
    usage: (): ImageTurnUsage => ({ ...usage }),
  };
}

function quotaMessage(result: Extract<ReservationResult, { ok: false }>): string {
  const images = (count: number) => `${count} generated image${count === 1 ? "" : "s"}`;
  return result.limit === "session"
    ? `No image was made: this conversation has reached its limit of ${images(result.max)}.`
    : `No image was made: this assistant has reached its daily limit of ${images(result.max)}. Please try again tomorrow.`;
}
