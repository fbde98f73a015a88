#!/bin/sh
# Publish a built Hindsight site to an S3 bucket (behind CloudFront or S3 website hosting),
# served at the root of its host. Build first with the host's address:
#
#   HINDSIGHT_SITE=https://kb.example.com HINDSIGHT_BASE=/ npm run build
#   scripts/deploy/s3-sync.sh my-kb-bucket [dist] [cloudfront-distribution-id]
#
# Cache headers, by what may change under the same name:
# - _astro/*    content-hashed bundles: a year, immutable (a new build gives new names);
# - pagefind/*  the search index: revalidate every time (its entry file is not hashed, and an old
#               entry pointing at deleted fragments would break search);
# - *.html      pages: revalidate every time, so a new or corrected postmortem shows at once;
# - the rest    (favicon, public scripts, feeds, sitemap, JSON Schema): five minutes.
#
# Order matters: assets first, pages after (a page never references a file not yet uploaded),
# old files deleted last (a page still cached for a moment finds what it references).
# Set AWS to run something else than `aws` (the tests use a stand-in that records the calls).
set -eu

if [ $# -lt 1 ] || [ -z "$1" ]; then
  echo "usage: $0 BUCKET [DIST] [CLOUDFRONT_DISTRIBUTION_ID]" >&2
  exit 2
fi
bucket=$1
dist=${2:-dist}
distribution=${3:-}
aws=${AWS:-aws}

if [ ! -f "$dist/index.html" ]; then
  echo "$0: $dist/index.html not found; build the site first (npm run build)" >&2
  exit 2
fi

long="public, max-age=31536000, immutable"
revalidate="public, max-age=0, must-revalidate"
short="public, max-age=300"

# 1. Hashed bundles.
if [ -d "$dist/_astro" ]; then
  $aws s3 sync "$dist/_astro" "s3://$bucket/_astro" --cache-control "$long"
fi
# 2. Everything that is neither a bundle, a page nor the search index.
$aws s3 sync "$dist" "s3://$bucket" --exclude "_astro/*" --exclude "pagefind/*" --exclude "*.html" --cache-control "$short"
# 3. The search index.
if [ -d "$dist/pagefind" ]; then
  $aws s3 sync "$dist/pagefind" "s3://$bucket/pagefind" --cache-control "$revalidate"
fi
# 4. Pages.
$aws s3 sync "$dist" "s3://$bucket" --exclude "*" --include "*.html" --cache-control "$revalidate" --content-type "text/html; charset=utf-8"
# 5. Remove what the new build no longer has (sizes match everything just uploaded: nothing is re-sent).
$aws s3 sync "$dist" "s3://$bucket" --delete --size-only --cache-control "$short"

# 6. With CloudFront in front, drop its cached copies of pages and the index.
if [ -n "$distribution" ]; then
  $aws cloudfront create-invalidation --distribution-id "$distribution" --paths "/*"
fi
