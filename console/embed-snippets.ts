/** The three ways to put a bot on a site, filled with this deployment's origin and the bot's id. */
export interface EmbedSnippet {
  id: "script-tag" | "npm" | "react";
  label: string;
  code: string;
}

/**
 * The embed snippets for a bot: the script tag, npm + mount(), and React.
 *
 * @example
 * embedSnippets("https://chat.example.com", "docs")[0].code
 * // <script src="https://chat.example.com/widget.js" data-bot="docs" async></script>
 */
export function embedSnippets(origin: string, botId: string): EmbedSnippet[] {
  const o = JSON.stringify(origin);
  const b = JSON.stringify(botId);
  const attribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return [
    {
      id: "script-tag",
      label: "Script tag",
      code: `<script src="${attribute(origin)}/widget.js" data-bot="${attribute(botId)}" async></script>`,
    },
    {
      id: "npm",
      label: "npm + mount()",
      code: `// npm install edgechat\nimport { mount } from "edgechat";\n\nmount(document.getElementById("chat")!, { endpoint: ${o}, bot: ${b} });`,
    },
    {
      id: "react",
      label: "React",
      code:
        `// npm install edgechat\nimport { useEffect, useRef } from "react";\nimport { mount } from "edgechat";\n\n` +
        `export function SupportChat() {\n  const ref = useRef<HTMLDivElement>(null);\n` +
        `  useEffect(() => {\n    const widget = mount(ref.current!, { endpoint: ${o}, bot: ${b} });\n    return () => widget.destroy();\n  }, []);\n` +
        `  return <div ref={ref} />;\n}`,
    },
  ];
}
