/**
 * The widget's whole stylesheet. It is applied inside the shadow root only, through a
 * constructable stylesheet, so it works under a strict Content-Security-Policy and
 * nothing leaks into the host page.
 */
export const WIDGET_CSS = `
:host{all:initial}
.root{--ec-primary:#2456d6;--ec-on-primary:#fff;--ec-link:#1f4fc1;--ec-bg:#fff;--ec-fg:#1b1f24;--ec-muted:#59626e;--ec-border:#d3d9e0;--ec-bubble:#eef1f5;--ec-code:#f5f6f8;--ec-error:#a4001c;--ec-radius:14px;--ec-font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;--ec-offset:20px;position:fixed;z-index:2147483000;bottom:var(--ec-offset);right:var(--ec-offset);font-family:var(--ec-font);font-size:14px;line-height:1.45;color:var(--ec-fg);color-scheme:light}
.root[data-position=left]{right:auto;left:var(--ec-offset)}
.root[data-theme=dark]{--ec-primary:#8fb1ff;--ec-on-primary:#0b1530;--ec-link:#a9c3ff;--ec-bg:#17191e;--ec-fg:#e7e9ec;--ec-muted:#aab2bd;--ec-border:#3a404a;--ec-bubble:#262a32;--ec-code:#0f1115;--ec-error:#ff9a9a;color-scheme:dark}
@media (prefers-color-scheme:dark){.root[data-theme=auto]{--ec-primary:#8fb1ff;--ec-on-primary:#0b1530;--ec-link:#a9c3ff;--ec-bg:#17191e;--ec-fg:#e7e9ec;--ec-muted:#aab2bd;--ec-border:#3a404a;--ec-bubble:#262a32;--ec-code:#0f1115;--ec-error:#ff9a9a;color-scheme:dark}}
*{box-sizing:border-box}
button{font:inherit;color:inherit;cursor:pointer}
svg{width:20px;height:20px;fill:currentColor}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
:focus-visible{outline:3px solid var(--ec-primary);outline-offset:2px}
.launcher{width:56px;height:56px;border-radius:50%;border:0;background:var(--ec-primary);color:var(--ec-on-primary);box-shadow:0 4px 14px #0003;display:grid;place-items:center}
.launcher svg{width:26px;height:26px}
.launcher:focus-visible{outline-color:var(--ec-fg)}
.panel{position:absolute;right:0;bottom:0;width:min(400px,calc(100vw - 40px));height:min(600px,calc(100vh - 40px));display:flex;flex-direction:column;background:var(--ec-bg);border:1px solid var(--ec-border);border-radius:var(--ec-radius);box-shadow:0 10px 40px #0004;overflow:hidden}
[data-position=left] .panel{right:auto;left:0}
.header{display:flex;align-items:center;gap:6px;padding:10px 10px 10px 14px;background:var(--ec-primary);color:var(--ec-on-primary)}
.header h2{flex:1;margin:0;font-size:16px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.header :focus-visible{outline-color:var(--ec-on-primary)}
.avatar{border-radius:50%;object-fit:cover}
.icon{background:none;border:0;width:32px;height:32px;border-radius:8px;display:inline-grid;place-items:center;padding:0}
.icon:hover{background:#8883}
.notice{margin:0;padding:6px 14px;font-size:12px;color:var(--ec-muted);border-bottom:1px solid var(--ec-border)}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px;overscroll-behavior:contain}
.msg{max-width:88%;padding:9px 12px;border-radius:12px;overflow-wrap:anywhere}
.user{align-self:flex-end;background:var(--ec-primary);color:var(--ec-on-primary);white-space:pre-wrap}
.assistant{align-self:flex-start;background:var(--ec-bubble)}
.md>:first-child>:first-child,.msg>p:first-child{margin-top:0}
.md>:last-child>:last-child,.msg>p:last-child{margin-bottom:0}
.md p,.md ul,.md ol,.md blockquote,.md .table,.md .code{margin:0 0 8px}
.md h3,.md h4,.md h5,.md h6{margin:10px 0 6px;font-size:15px}
.md ul,.md ol{padding-inline-start:20px}
.md blockquote{padding-inline-start:10px;border-inline-start:3px solid var(--ec-border);color:var(--ec-muted)}
.md hr{border:0;border-top:1px solid var(--ec-border)}
a{color:var(--ec-link)}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;background:var(--ec-code);padding:1px 4px;border-radius:4px}
.code{position:relative}
.code pre{margin:0;padding:28px 10px 10px;background:var(--ec-code);border-radius:8px;overflow-x:auto;direction:ltr}
.code pre code{padding:0;background:none}
.copy{position:absolute;top:4px;inset-inline-end:4px;font-size:12px;padding:2px 8px;border:1px solid var(--ec-border);border-radius:6px;background:var(--ec-bg)}
.table{overflow-x:auto}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid var(--ec-border);padding:4px 8px}
.cite{line-height:0}
.cite a{font-size:11px;text-decoration:none;padding:0 2px}
.md-img{max-width:100%}
.sources{margin-top:8px;padding-top:6px;border-top:1px solid var(--ec-border);font-size:13px}
.sources .label{margin:0 0 2px;font-weight:600;color:var(--ec-muted)}
.sources ol{margin:0;padding-inline-start:22px}
.image{margin:8px 0 0}
.frame{display:block;width:240px;max-width:100%;aspect-ratio:1;border-radius:10px;overflow:hidden;background:var(--ec-code)}
.frame img{width:100%;height:100%;object-fit:cover;display:block}
.placeholder{display:grid;place-items:center;color:var(--ec-muted);border:1px dashed var(--ec-border)}
@media (prefers-reduced-motion:no-preference){.placeholder{animation:ec-pulse 1.4s ease-in-out infinite}}
figcaption{font-size:12px;color:var(--ec-muted);margin-top:4px}
.badge{display:inline-block;font-size:11px;padding:0 6px;border-radius:8px;border:1px solid var(--ec-border);color:var(--ec-muted)}
.img-failed{font-size:13px;color:var(--ec-muted);font-style:italic}
.meta{display:flex;align-items:center;gap:6px;margin-top:6px;font-size:12px;color:var(--ec-muted)}
.rate{margin-inline-start:auto;display:flex}
.rate .icon{width:28px;height:28px}
.rate svg{width:16px;height:16px}
.dots{display:inline-block;width:24px;height:8px;background:radial-gradient(circle,var(--ec-muted) 3px,transparent 4px) 0 0/8px 8px repeat-x}
@media (prefers-reduced-motion:no-preference){.dots{animation:ec-pulse 1s infinite}.panel{animation:ec-in .15s ease-out}}
@keyframes ec-pulse{50%{opacity:.4}}
@keyframes ec-in{from{opacity:0;transform:translateY(8px)}}
.greeting p{margin:0}
.starters{display:flex;flex-wrap:wrap;gap:6px}
.by{margin:0 0 2px;font-size:12px;font-weight:600;color:var(--ec-muted)}
.person,.starters button{border:1px solid var(--ec-primary);color:var(--ec-link);background:var(--ec-bg);border-radius:16px;padding:5px 12px;font-size:13px;text-align:start}
.person{display:block;margin-top:8px}
.error{display:flex;align-items:center;gap:8px;color:var(--ec-error);font-size:13px}
.error button{border:1px solid currentColor;background:none;border-radius:8px;padding:3px 10px}
.form{display:flex;gap:8px;padding:10px;border-top:1px solid var(--ec-border)}
textarea{flex:1;resize:none;font:inherit;font-size:16px;padding:8px 10px;border:1px solid var(--ec-muted);border-radius:10px;background:var(--ec-bg);color:var(--ec-fg);max-height:120px}
textarea::placeholder{color:var(--ec-muted)}
.send{border:0;border-radius:10px;padding:0 14px;background:var(--ec-primary);color:var(--ec-on-primary);font-weight:600}
.send:disabled{opacity:.55;cursor:default}
/* The hosted chat page (GET /b/:id): the panel is the page, a centred column. */
:host([data-layout=page]) .panel{position:fixed;inset:0;margin:auto;width:100%;max-width:760px;height:100%;height:100dvh;border-radius:0;border-top:0;border-bottom:0}
@media (max-width:639.98px){.panel{position:fixed;inset:0 0 auto 0;width:100%;height:100%;height:100dvh;border:0;border-radius:0;padding:env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}.header{border-radius:0}}
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
