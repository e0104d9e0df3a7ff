// The headless client with a UI of its own: no widget, no framework. It speaks the AI SDK UI
// message stream protocol, so `api` may also be any AI SDK route (see ../README.md).
import { ChatClient, createSessionStore } from "edgechat/client";

const endpoint = import.meta.env.VITE_EDGECHAT_ENDPOINT || location.origin;
const store = createSessionStore("my-chat");
const client = new ChatClient({ api: `${endpoint}/v1/chat`, botId: "demo", onSession: (session) => store.save(session) });
const saved = store.load();
if (saved) void client.resume(saved);

const list = document.getElementById("messages")!;
const status = document.getElementById("status")!;
client.subscribe(({ messages, status: state, error }) => {
  // Text only, through textContent: model output is never HTML.
  list.replaceChildren(
    ...messages.map((message) => {
      const item = document.createElement("li");
      const text = message.parts.map((part) => (part.type === "text" ? part.text : "")).join("");
      const sources = message.parts.flatMap((part) => (part.type === "source-url" ? [part.title ?? part.url] : []));
      item.textContent = `${message.role}: ${text}${sources.length ? ` (sources: ${sources.join(", ")})` : ""}`;
      return item;
    }),
  );
  status.textContent = state === "error" ? `Error: ${error}` : state;
});

document.getElementById("form")!.addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("question") as HTMLInputElement;
  void client.send(input.value);
  input.value = "";
});
document.getElementById("stop")!.addEventListener("click", () => client.stop());
