"""The CSP-safe Vega expression interpreter as a classic script (`kpis/vega-interpreter.js`).

npm's `vega-interpreter` ships only an ES module that imports the bare name `vega-util`, which a
browser cannot resolve without an (inline, so CSP-blocked) import map. The three names it
imports are exported by Vega's UMD build too, so the static copy takes them from the global
`vega` and puts `vega.expressionInterpreter` back on it. Nothing else changes; a test checks
the copy against node_modules, and this module rewrites it:

    .venv/bin/python -m meetlat.kpis.vega_interpreter
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

PROJECT_DIR: Final = Path(__file__).resolve().parents[3]
SOURCE: Final = PROJECT_DIR / "node_modules" / "vega-interpreter" / "build" / "vega-interpreter.js"
TARGET: Final = Path(__file__).resolve().parent / "static" / "kpis" / "vega-interpreter.js"
IMPORT: Final = "import { ascending, isString, DisallowedObjectProperties } from 'vega-util';"
EXPORT: Final = "export { expression as expressionInterpreter };"
SOURCE_MAP: Final = "//# sourceMappingURL=vega-interpreter.js.map"


def classic_script(module_text: str) -> str:
    """The ES module's text as a classic script on the global `vega` (loaded after vega.js)."""
    if IMPORT not in module_text or EXPORT not in module_text:
        raise ValueError("vega-interpreter changed its imports or exports: update this shim")
    body = module_text.replace(IMPORT, "").replace(EXPORT, "").replace(SOURCE_MAP, "")
    return (
        "/* vega-interpreter (BSD-3-Clause, https://github.com/vega/vega), rewritten by\n"
        "   meetlat.kpis.vega_interpreter from node_modules as a classic script. */\n"
        "(function (vega) {\n"
        "'use strict';\n"
        "const { ascending, isString, DisallowedObjectProperties } = vega;\n"
        f"{body.strip()}\n"
        "vega.expressionInterpreter = expression;\n"
        "})(window.vega);\n"
    )


def main() -> None:
    TARGET.write_text(classic_script(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
