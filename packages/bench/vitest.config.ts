import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@greenthreads/source"] },
  ssr: { resolve: { conditions: ["@greenthreads/source"] } },
  test: { include: ["test/**/*.test.ts"] },
});
