import { openWordVectors, type PackedWordVectors, type WordVectors, type WordVectorsLoader } from "./word-vectors";

/**
 * Id of the word-vector table shipped with edgechat (GloVe 6B: the 50,000 most frequent English words,
 * 64 principal components, 4 bits each; `npm run build:word-vectors`). A test checks it against the table.
 */
export const SHIPPED_WORD_VECTORS_ID = "glove6b-50000w-64d-4b";

/** Where the table is among the static assets (dist/public, written by `npm run build`). */
export const SHIPPED_WORD_VECTORS_ASSET = `/edgechat/word-vectors-${SHIPPED_WORD_VECTORS_ID}.json`;

// The opened table is plain data, kept once per isolate whichever request loaded it. A load in flight is not
// shared across requests (workerd does not let one request wait on another's I/O): each loader has its own.
let loaded: WordVectors | undefined;

/**
 * The offline models' word vectors, fetched from the static assets the first time they are needed.
 * They are a static asset rather than code so that a Worker that never runs offline (a real embedding
 * provider is configured) does not upload or start up with 2.8 MB it never reads: Cloudflare counts
 * assets apart from the Worker script, and only an offline turn or ingestion fetches them.
 * Make one loader per request (as `modelsFromEnv` does).
 *
 * @example
 * const embedding = createOfflineEmbeddingModel({ wordVectors: wordVectorsFromAssets(env.ASSETS) });
 */
export function wordVectorsFromAssets(assets: Fetcher | undefined): WordVectorsLoader {
  let loading: Promise<WordVectors> | undefined;
  return {
    id: SHIPPED_WORD_VECTORS_ID,
    load() {
      if (loaded) return Promise.resolve(loaded);
      if (!assets) {
        return Promise.reject(
          new Error(
            `edgechat's offline models read their word vectors from the ASSETS binding (${SHIPPED_WORD_VECTORS_ASSET}), but ASSETS is not bound. ` +
              `Bind static assets to the directory node_modules/edgechat/dist/public (docs/run-your-own-worker.md), or configure a real model provider (OPENAI_API_KEY).`,
          ),
        );
      }
      loading ??= fetchTable(assets).then(
        (table) => (loaded = table),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
  };
}

async function fetchTable(assets: Fetcher): Promise<WordVectors> {
  const response = await assets.fetch(new Request(`https://assets.invalid${SHIPPED_WORD_VECTORS_ASSET}`));
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(
      `edgechat's offline word vectors are missing from the static assets: GET ${SHIPPED_WORD_VECTORS_ASSET} answered ${response.status}. ` +
        `Serve node_modules/edgechat/dist/public as the Worker's assets (docs/run-your-own-worker.md), or run \`npm run build\` in the edgechat repo.`,
    );
  }
  const table = (await response.json()) as PackedWordVectors;
  if (table.id !== SHIPPED_WORD_VECTORS_ID) {
    throw new Error(`edgechat's offline word vectors asset holds table ${String(table.id)}, expected ${SHIPPED_WORD_VECTORS_ID}: rebuild the assets.`);
  }
  return openWordVectors(table);
}
