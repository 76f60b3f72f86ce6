#!/usr/bin/env bash
# Renders a speechgen Word file to PDF and PNG pages with LibreOffice, to look at it as a
# reader would. Needs: apt-get install libreoffice-writer poppler-utils fonts-noto-cjk
# fonts-arphic-ukai. Not part of the tests (CI has no LibreOffice).
#
#   examples/docx-preview.sh draft.docx [out-dir] [dpi]
set -euo pipefail
docx=${1:?usage: docx-preview.sh FILE.docx [OUT_DIR] [DPI]}
out=${2:-.}
dpi=${3:-60}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
FONTCONFIG_FILE="$here/preview-fonts.conf" soffice --headless --convert-to pdf --outdir "$out" "$docx" >/dev/null
pdf="$out/$(basename "${docx%.*}").pdf"
pdfinfo "$pdf" | grep -E '^(Pages|Page size)'
pdffonts "$pdf" | tail -n +3 | awk '{print "font:", $1}' | sort -u
pdftoppm -r "$dpi" -png "$pdf" "$out/page"
ls "$out"/page-*.png | head -3
