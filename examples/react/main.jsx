// React: mount the widget from a ref in an effect and destroy it on unmount. The widget is
// Preact inside its own shadow root, so it never mixes with React's tree or styles.
import { StrictMode, useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { mount } from "edgechat";

function EdgechatWidget({ bot, endpoint, title, onAnswer }) {
  const host = useRef(null);
  useEffect(() => {
    const widget = mount(host.current, { bot, endpoint, title });
    const off = widget.on("message", (message) => onAnswer?.(message));
    return () => {
      off();
      widget.destroy();
    };
  }, [bot, endpoint, title, onAnswer]);
  return <div ref={host} />;
}

function App() {
  const [answers, setAnswers] = useState(0);
  return (
    <main>
      <h1>React app with edgechat</h1>
      <p>Answers received: {answers}</p>
      <EdgechatWidget
        bot="demo"
        endpoint={import.meta.env.VITE_EDGECHAT_ENDPOINT || location.origin}
        title="Help"
        onAnswer={useRef(() => setAnswers((n) => n + 1)).current}
      />
    </main>
  );
}

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
