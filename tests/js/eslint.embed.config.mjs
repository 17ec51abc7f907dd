// Lints the embed's JavaScript (npm/embed.js and npm/embed/*.js) and the module's own snippets
// (src/wasm/*.js, which wasm-bindgen ships beside the glue): ESLint's recommended rules for
// browser ES modules, plus a few that keep DOM code honest. Run by embed-check.test.mjs
// (`eslint -c ../tests/js/eslint.embed.config.mjs embed.js embed` in npm/, and on src/wasm from
// the root; ESLint and its configs resolve from here, tests/js devDependencies).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ...js.configs.recommended, files: ["embed.js", "embed/*.js", "src/wasm/*.js"] },
  {
    files: ["embed.js", "embed/*.js", "src/wasm/*.js"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: globals.browser },
    rules: {
      eqeqeq: "error",
      "no-implicit-globals": "error",
      "no-shadow": "error",
      "no-var": "error",
      "prefer-const": "error",
      "no-param-reassign": "error",
      "no-eval": "error",
      "no-new-func": "error",
      "no-restricted-properties": ["error",
        { property: "innerHTML", message: "text only: use el() or textContent" },
        { property: "outerHTML", message: "text only: use el() or textContent" },
        { property: "insertAdjacentHTML", message: "text only: use el() or textContent" }],
    },
  },
];
