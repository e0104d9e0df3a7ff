// Public surface of `edgechat/worker`.
export { createEdgechatWorker, type EdgechatWorkerOptions } from "./create-edgechat-worker";
export type { EdgechatEnv } from "./env";
export { HttpError } from "./http/http-error";
export { modelsFromEnv, type ModelSet } from "./models/model-set";
export { createOfflineLanguageModel, type OfflineLanguageModelOptions } from "./models/offline-language-model";
export { createOfflineImageModel, type OfflineImageModelOptions } from "./images/offline-image-model";
export { IMAGE_COST_USD, imageCostUsd } from "./images/image-cost";
export { LocalVectorIndex } from "./vector/local-vector-index";
export { createLocalVectorize, type LocalVectorize, type LocalVectorizeOptions } from "./vector/local-vectorize";
export { createOfflineEmbeddingModel, type OfflineEmbeddingModelOptions } from "./models/offline-embedding-model";
export { chunkDocument, type ChunkOptions, type DocumentChunk, type DocumentFormat } from "./rag/chunk-document";
export { ingestDocuments, deleteDocument, type DocumentInput, type IngestResult } from "./rag/ingest-documents";
export { retrievePassages, type Passage, type RetrievalOptions } from "./rag/retrieve-passages";
export { decideRoute, type RouteDecision, type RoutingPolicy, type Tier } from "./routing/route-decision";
export { NO_RETRIEVAL, retrievalSignalsFromScores, type RetrievalSignals } from "./routing/retrieval-signals";
export { DEFAULT_PRICES, costUsd, priceTableFrom, type PriceTable } from "./routing/price-table";
export { createOfflineLargeModel, createOfflineSmallModel } from "./models/offline-tier-models";
