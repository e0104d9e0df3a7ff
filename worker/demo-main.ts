// The Worker `npm start` runs (the offline demo, on this machine only): the deployable worker (main.ts) plus PDF
// reading. PDF.js adds about 550 KiB gzip, which a local demo does not upload; `wrangler deploy` keeps main.ts,
// within the 500 KB budget `npm run size` checks. A deployment that wants PDFs imports `edgechat/worker/pdf`
// (docs/knowledge-sources.md).
import { createEdgechatWorker } from "./create-edgechat-worker";
import { extractPdfText } from "./sources/pdf-text";

export { ChatSession } from "./sessions/chat-session";
export { LocalVectorIndex } from "./vector/local-vector-index";
export default createEdgechatWorker({ pdfText: extractPdfText });
