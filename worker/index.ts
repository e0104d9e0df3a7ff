// Public surface of `edgechat/worker`.
export { createEdgechatWorker, type EdgechatWorkerOptions } from "./create-edgechat-worker";
export type { EdgechatEnv } from "./env";
export { HttpError } from "./http/http-error";
export { modelsFromEnv, type ModelSet } from "./models/model-set";
export { createOfflineLanguageModel, type OfflineLanguageModelOptions } from "./models/offline-language-model";
export { decideRoute, type RouteDecision, type RoutingPolicy, type Tier } from "./routing/route-decision";
export { NO_RETRIEVAL, retrievalSignalsFromScores, type RetrievalSignals } from "./routing/retrieval-signals";
export { DEFAULT_PRICES, costUsd, priceTableFrom, type PriceTable } from "./routing/price-table";
export { createOfflineLargeModel, createOfflineSmallModel } from "./models/offline-tier-models";
