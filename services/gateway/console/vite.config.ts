import { defineConfig } from "vite";

// Built into the gateway package, which serves it at / (services/gateway/src/gateway/api/console.py).
export default defineConfig({
  build: {
    outDir: "../src/gateway/console_static",
    emptyOutDir: true,
    sourcemap: true,
  },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
