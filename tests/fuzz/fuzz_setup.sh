# shellcheck shell=bash disable=SC2154
# Sourced by run_fuzzer.sh and run_cpu_budget.sh once they have set `name`,
# `source_dir` and `work_dir`: the working corpus (the repo's seeds joined to
# whatever earlier runs found; -n keeps ours) and the crasher folder in the
# build dir, the sanitizer settings, and the libFuzzer options every run of
# the target uses, in the array `fuzz_options`.
corpus="$work_dir/corpus-$name"
artifacts="$work_dir/artifacts-$name"
mkdir -p "$corpus" "$artifacts"
cp -n "$source_dir/corpus/$name"/* "$corpus"/ 2>/dev/null || true

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Inputs up to a bit over the decoder's 64 KiB default limit for frames, a
# JSON frame's worth for requests; config files and paths stay small.
case $name in
  frame_decoder) max_len=70000 ;;
  request_decoder) max_len=16384 ;;
  *) max_len=4096 ;;
esac
# The timeout is wall-clock time: generous, so that a fuzzer at nice 19 on a
# busy machine is not failed for waiting its turn (a hang still trips it).
fuzz_options=("-timeout=${CHATD_FUZZ_TIMEOUT:-60}" -rss_limit_mb=2048 -malloc_limit_mb=2048
              "-max_len=$max_len" "-artifact_prefix=$artifacts/")
if [ -f "$source_dir/dict/$name.dict" ]; then
  fuzz_options+=("-dict=$source_dir/dict/$name.dict")
fi
