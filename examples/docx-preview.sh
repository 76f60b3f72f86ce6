#!/usr/bin/env bash
# Renders a speechgen Word file to PDF and PNG pages with LibreOffice, to look at it as a
# reader would. Not part of the tests (CI has no LibreOffice).
#
# Needs LibreOffice, poppler and free Chinese faces (Debian/Ubuntu):
#
#   apt-get install libreoffice-writer poppler-utils fonts-noto-cjk fonts-arphic-ukai
#
# fonts-noto-cjk (Noto Serif/Sans CJK) stands in for 方正小标宋简体, 仿宋, 宋体 and 黑体;
# fonts-arphic-ukai (AR PL UKai) for 楷体. preview-fonts.conf, next to this script, maps
# the official names to those faces (with no map LibreOffice falls back to a sans face,
# for text without a language the Japanese one). The script prints what each name
# resolves to: every line should name a Noto CJK SC face or AR PL UKai CN (TC/HK and
# UKai TW/HK for a draft in Traditional script).
#
#   examples/docx-preview.sh draft.docx [OUT_DIR] [DPI] [FIRST_PAGE] [LAST_PAGE]
#
# e.g. page 1 only, at 60 dpi: examples/docx-preview.sh draft.docx out 60 1 1
# (pdffonts names every Noto CJK face NotoSerifCJKjp-… or NotoSansCJKjp-…: the faces
# of a Noto CJK collection share one font program, whichever language was asked for.)
set -euo pipefail
docx=${1:?usage: docx-preview.sh FILE.docx [OUT_DIR] [DPI] [FIRST_PAGE] [LAST_PAGE]}
out=${2:-.}
dpi=${3:-60}
first=${4:-1}
here=$(cd "$(dirname "$0")" && pwd)
export FONTCONFIG_FILE="$here/preview-fonts.conf"
for tool in soffice pdftoppm pdfinfo fc-match; do
    command -v "$tool" >/dev/null || {
        echo "docx-preview.sh: $tool is missing: apt-get install libreoffice-writer poppler-utils fonts-noto-cjk fonts-arphic-ukai" >&2
        exit 1
    }
done
fc-list :lang=zh family | grep -q 'Noto Serif CJK SC' || {
    echo "docx-preview.sh: no Noto Serif CJK SC face: apt-get install fonts-noto-cjk (and fonts-arphic-ukai for 楷体)" >&2
    exit 1
}
# The language the file is written in (the first w:lang), for the face check below.
lang=$( (unzip -p "$docx" word/styles.xml 2>/dev/null || true) | grep -o 'w:eastAsia="zh-[A-Z]*"' | head -1 | cut -d'"' -f2 | tr 'A-Z' 'a-z' || true)
lang=${lang:-zh-cn}
for face in 方正小标宋简体 仿宋_GB2312 楷体_GB2312 黑体 宋体; do
    echo "face: $face ($lang) → $(fc-match "$face:lang=$lang" family style 2>/dev/null)"
done
mkdir -p "$out"
soffice --headless --convert-to pdf --outdir "$out" "$docx" >/dev/null 2>&1
pdf="$out/$(basename "${docx%.*}").pdf"
pdfinfo "$pdf" | grep -E '^(Pages|Page size)'
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
last=${5:-$pages}
pdffonts "$pdf" | tail -n +3 | awk '{print "font:", $1}' | sort -u
pdftoppm -r "$dpi" -f "$first" -l "$last" -png "$pdf" "$out/page"
ls "$out"/page-*.png | head -3
