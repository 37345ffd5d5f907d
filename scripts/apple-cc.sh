#!/bin/sh
# The C compiler for Apple targets (named in .cargo/config.toml). On macOS it is the system's
# own. Elsewhere — a cross-check from Linux, which has no Apple SDK — it stands in for clang:
# each object it is asked to compile is written empty, so hidapi's build script (which
# compiles hidapi's C backend for macOS) finishes and every line of Rust is still checked.
# A check never links; a real macOS binary is built on macOS, with the real compiler.
if [ "$(uname -s)" = Darwin ]; then
    exec "${KMDIAG_APPLE_CC:-cc}" "$@"
fi
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        # cc-rs asks which compiler family this is: answer as clang's preprocessor would.
        -E) echo '#pragma message "clang"'; exit 0 ;;
        # ... and whether it takes MSVC-style flags: it does not.
        -\?) exit 1 ;;
        -o) out="$2"; shift ;;
    esac
    shift
done
[ -n "$out" ] && : >"$out"
exit 0
