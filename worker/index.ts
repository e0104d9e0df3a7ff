// Public surface of `edgechat/worker`.
export { createEdgechatWorker, type EdgechatWorkerOptions } from "./create-edgechat-worker";
export type { EdgechatEnv } from "./env";
export { HttpError } from "./http/http-error";
export { modelsFromEnv, type ModelSet } from "./models/model-set";
export { createOfflineLanguageModel, type OfflineLanguageModelOptions } from "./models/offline-language-model";
export { createOfflineImageModel, type OfflineImageModelOptions } from "./images/offline-image-model";
export { IMAGE_COST_USD, imageCostUsd } from "./images/image-cost";
