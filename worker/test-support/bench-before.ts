// The edgechat worker the bench compares against ("before"). Here it is the current one; with
// `npm run bench -- --before <git ref>` the bench bundles this same file from that commit's worker/ tree
// (scripts/bench/worker-bench.mjs), so both run side by side in one workerd, back to back.
export { createEdgechatWorker as createEdgechatWorkerBefore } from "../create-edgechat-worker";
export { ChatSession as ChatSessionBefore } from "../sessions/chat-session";
