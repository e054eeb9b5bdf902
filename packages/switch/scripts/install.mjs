#!/usr/bin/env node
// The package's install step. It exists so that package managers do not run
// their default for a package with a binding.gyp (`node-gyp rebuild`), which
// needs a compiler and Node's headers, and downloads the headers when they are
// missing: an install must work offline and without a compiler. The addon
// ships prebuilt in prebuilds/; `pnpm build` rebuilds it where a compiler
// exists, and without either the emulated backend is used.
process.exit(0);
