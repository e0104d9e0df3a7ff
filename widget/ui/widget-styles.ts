/**
 * The widget's whole stylesheet. It is applied inside the shadow root only, through a
 * constructable stylesheet, so it works under a strict Content-Security-Policy and
 * nothing leaks into the host page.
 */
export const WIDGET_CSS = `
:host{all:initial;--ec-primary:#2456d6;--ec-on-primary:#fff;--ec-bg:#fff;--ec-fg:#1b1f24;--ec-muted:#5b6470;--ec-border:#d8dde3;--ec-bubble:#eef1f5;--ec-radius:14px;--ec-font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;position:fixed;z-index:2147483000;right:20px;bottom:20px;font-family:var(--ec-font);color:var(--ec-fg)}
*{box-sizing:border-box}
button{font:inherit;cursor:pointer}
.launcher{width:56px;height:56px;border-radius:50%;border:0;background:var(--ec-primary);color:var(--ec-on-primary);box-shadow:0 4px 14px #0003;display:grid;place-items:center}
.launcher svg{width:26px;height:26px}
:focus-visible{outline:3px solid var(--ec-primary);outline-offset:2px}
.panel{position:absolute;right:0;bottom:0;width:min(380px,calc(100vw - 40px));height:min(560px,calc(100vh - 40px));display:flex;flex-direction:column;background:var(--ec-bg);border:1px solid var(--ec-border);border-radius:var(--ec-radius);box-shadow:0 10px 40px #0003;overflow:hidden}
.header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:var(--ec-primary);color:var(--ec-on-primary)}
.header h2{flex:1;margin:0;font-size:16px;font-weight:600}
.icon{background:none;border:0;color:inherit;width:32px;height:32px;border-radius:8px;font-size:18px}
.notice{margin:0;padding:6px 14px;font-size:12px;color:var(--ec-muted);border-bottom:1px solid var(--ec-border)}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px}
.msg{max-width:85%;padding:9px 12px;border-radius:12px;line-height:1.45;font-size:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.user{align-self:flex-end;background:var(--ec-primary);color:var(--ec-on-primary)}
.assistant{align-self:flex-start;background:var(--ec-bubble)}
.error{color:#a4001c;font-size:13px}
.form{display:flex;gap:8px;padding:10px;border-top:1px solid var(--ec-border)}
textarea{flex:1;resize:none;font:inherit;font-size:16px;padding:8px 10px;border:1px solid var(--ec-border);border-radius:10px;background:var(--ec-bg);color:var(--ec-fg);max-height:120px}
.send{border:0;border-radius:10px;padding:0 14px;background:var(--ec-primary);color:var(--ec-on-primary)}
.send:disabled{opacity:.5;cursor:default}
@media (max-width:640px){.panel{position:fixed;inset:0;width:auto;height:auto;border-radius:0}}
@media (prefers-reduced-motion:no-preference){.panel{animation:ec-in .15s ease-out}@keyframes ec-in{from{opacity:0;transform:translateY(8px)}}}
`;

/** Applies the stylesheet to a shadow root, with a fallback for browsers without constructable stylesheets. */
export function adoptStyles(root: ShadowRoot, css: string = WIDGET_CSS): void {
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement("style");
    style.textContent = css;
    root.append(style);
  }
}
