#!/usr/bin/env bash
# The monthly digest's PDF read from outside: installs poppler-utils (pdftotext, pdftoppm) if
# missing, builds the golden month's files, checks the PDF's text layer with pdftotext and
# renders its pages to PNG for a person to look at (the Thai must be shaped: no floating vowels
# or tone marks, no word cut at a line's end).
set -euo pipefail
cd "$(dirname "$0")/.."
# Built with the test suite's own feature set (`--workspace`), so nothing already built for
# `cargo test --workspace` is compiled again.
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null
fi
out="${DIGEST_CHECK_DIR:-$(pwd)/target/digest-check}"
rm -rf "$out"
DIGEST_CHECK_DIR="$out" cargo test --workspace --lib digest::tests::the_pdfs_text_layer_reads_back_with_pdftotext -- --ignored --exact
echo "digest files and page images: $out"
ls "$out"
