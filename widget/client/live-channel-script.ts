// widget-live.js: the live channel of the script-tag widget, a second file its worker serves beside
// widget.js and loaded only when a person is asked for or takes over (live-channel-loader.ts). The IIFE
// build assigns these exports to the global `edgechatLive`.
export { followConversation, requestHandoff } from "./live-channel";
