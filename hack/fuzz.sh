#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 60) each. cargo-fuzz instruments with
# nightly-only flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz
seconds=${FUZZ_SECONDS:-60}
# The protobuf seed is binary, so it is written here rather than kept in git: a Status
# in the `k8s\0` envelope.
mkdir -p seeds/protobuf_decode
printf 'k8s\000\n\014\n\002v1\022\006Status\022\010\022\004\n\002ok\032\000' > seeds/protobuf_decode/status.bin
for target in $(cargo fuzz list); do
  echo "fuzz: $target for ${seconds}s"
  mkdir -p "corpus/$target"
  # New findings go to corpus/ (ignored by git); seeds/ holds the committed starting points.
  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096
done
