// The owner console's entry: draws the app into #app (worker/routes/console-page-route.ts serves the shell).
import { render } from "preact";
import { App } from "./app";
import "./console.css";

render(<App />, document.getElementById("app")!);
