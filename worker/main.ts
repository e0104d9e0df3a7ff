// The Worker that `wrangler dev` and `wrangler deploy` run: edgechat with models chosen from env.
import { createEdgechatWorker } from "./create-edgechat-worker";

export { ChatSession } from "./sessions/chat-session";
export default createEdgechatWorker();
export { LocalVectorIndex } from "./vector/local-vector-index";
