# SPDX-License-Identifier: MIT
# The pieces of `./run test` that decide pass or fail, sourced by ./run and by
# tests/runner-test.sh (which plants failures to prove they are seen).
#
# Every test that ran adds one line to $RESULTS:
#	pass|fail|skip <TAB> FLAVOUR: NAME <TAB> reason
# and runner_summary turns them into the closing line. A step that cannot say
# what ran (meson exits non-zero without a result, no results at all, a fuzz
# target without a seed corpus) adds a failure of its own: nothing that went
# wrong can be counted as 0.

# runner_build DIR [meson setup options...]: configure DIR (once) from the
# current directory and build it. A failure is recorded with the first error
# line of meson or the compiler (a missing test dependency is named there), so
# that the reason is on the last lines of the run.
runner_build() {
	local dir=$1 out
	shift
	out=$(mktemp)
	echo "run: building $dir"
	if { [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"; } >"$out" 2>&1 &&
	    ninja -C "$dir" >>"$out" 2>&1; then
		rm -f "$out"
		return 0
	fi
	tail -n 40 "$out"
	runner_add fail "build: $dir" "$(grep -m1 -E 'ERROR:|error:' "$out" || echo 'see above')"
	rm -f "$out"
	return 1
}

# runner_meson DIR FLAVOUR [meson test args...]: run `meson test` in build DIR
# and record each test's result from Meson's own JSON log.
runner_meson() {
	local dir=$1 flavour=$2 rc=0 json
	shift 2
	json=$dir/meson-logs/testlog.json
	rm -f "$json"
	if meson test -C "$dir" --print-errorlogs "$@" 2>&1 | tee "$RESULTS.meson"; then
		rc=0
	else
		rc=${PIPESTATUS[0]}
	fi
	python3 - "$json" "$flavour" "$rc" "$RESULTS.meson" >>"$RESULTS" <<'PY'
import json, re, sys
path, flavour, rc, console = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
out, failed = [], 0
try:
    lines = open(path).read().splitlines()
except OSError:
    lines = None
for l in lines or []:
    try:
        d = json.loads(l)
    except ValueError:
        out.append(("fail", "meson testlog.json", "a line that is not JSON"))
        failed += 1
        continue
    # "milvusadm:unit / core" -> "unit/core"
    name = re.sub(r"^[^:]*:", "", d.get("name", "?")).replace(" / ", "/")
    res = d.get("result", "?")
    if res == "OK":
        out.append(("pass", name, ""))
    elif res == "SKIP":
        m = re.search(r"#\s*SKIP\s*(.*)", d.get("stdout") or "", re.I)
        out.append(("skip", name, (m.group(1).strip() if m else "") or "no reason given"))
    elif res == "EXPECTEDFAIL":
        out.append(("pass", name, "expected failure"))
    else:
        out.append(("fail", name, res.lower() + ", exit %s" % d.get("returncode")))
        failed += 1
summary = any(re.match(r"^Ok:\s+\d+", l) for l in open(console, errors="replace"))
if lines is None:
    out.append(("fail", "meson test", "no testlog.json: nothing ran (exit %d)" % rc))
elif not out:
    out.append(("fail", "meson test", "no test ran (exit %d)" % rc))
elif not summary:
    out.append(("fail", "meson test", "no summary line (exit %d)" % rc))
elif rc != 0 and failed == 0:
    # Meson says something went wrong that no test result shows.
    out.append(("fail", "meson test", "exited %d with no failed test" % rc))
for res, name, why in out:
    print("%s\t%s: %s\t%s" % (res, flavour, name, why))
PY
	rm -f "$RESULTS.meson"
}

# runner_add RESULT NAME REASON: a result the runner itself found.
runner_add() {
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"
}

# runner_fuzz_one TARGET CORPUS ARTDIR: run one libFuzzer target for
# FUZZ_SECONDS (10) from a copy of its seed corpus; print one result line.
# Any sanitizer report ends the run: UBSan halts and aborts (libFuzzer then
# saves the input), ASan keeps its defaults (leaks included), an input that
# runs over FUZZ_TIMEOUT seconds or over 2 GB is a failure too.
runner_fuzz_one() {
	local f=$1 corpus=$2 art=$3 name work flog repro
	name=$(basename "$f")
	if ! [ -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
		printf 'fail\tfuzz: %s\tno seed corpus in %s\n' "$name" "$corpus"
		return
	fi
	work=$(mktemp -d)	# libFuzzer adds to its corpus dir: keep the tree clean
	flog=$(mktemp)
	cp -r "$corpus"/. "$work"/
	mkdir -p "$art"
	if env -u ASAN_OPTIONS \
	    UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
	    "$f" -max_total_time="${FUZZ_SECONDS:-10}" -timeout="${FUZZ_TIMEOUT:-5}" \
	    -rss_limit_mb=2048 -artifact_prefix="$art/$name-" "$work" >"$flog" 2>&1; then
		printf 'pass\tfuzz: %s\t%s\n' "$name" \
			"$(grep -o 'Done [0-9]* runs in [0-9]* second' "$flog" | head -n1)"
	else
		repro=$(sed -n 's/.*Test unit written to \([^ ]*\).*/\1/p' "$flog" | head -n1)
		printf 'fail\tfuzz: %s\treproducer %s\n' "$name" "${repro:-not saved}"
		# The first lines of the report, as TAP-style comments.
		grep -m1 -A12 -E 'runtime error|ERROR: |==[0-9]+==|Deadly signal|timeout' "$flog" |
			sed 's/^/#   /'
	fi
	rm -rf "$work" "$flog"
}

# runner_fuzz DIR CORPORA ARTDIR: every fuzz target in DIR, two at a time;
# a target without a corpus, or a corpus without a target, fails.
runner_fuzz() {
	local dir=$1 corpora=$2 art=$3 f c n=0
	mkdir -p "$art"
	for f in "$dir"/fuzz-*; do
		[ -f "$f" ] && [ -x "$f" ] || continue
		n=$((n + 1))
		[ "$(jobs -rp | wc -l)" -ge 2 ] && wait -n
		runner_fuzz_one "$f" "$corpora/${f##*/fuzz-}" "$art" >"$art/${f##*/}.result" &
	done
	wait
	for c in "$corpora"/*/; do
		[ -d "$c" ] || continue
		c=${c%/}
		[ -x "$dir/fuzz-${c##*/}" ] ||
			runner_add fail "fuzz: fuzz-${c##*/}" "a seed corpus without a target in $dir"
	done
	[ "$n" -gt 0 ] || runner_add fail "fuzz" "no fuzz target in $dir"
	for f in "$art"/fuzz-*.result; do
		[ -f "$f" ] || continue
		grep -v '^#' "$f" >>"$RESULTS"
		# Each target by name in the log, a failure's report under it.
		awk -F '\t' '/^#/ { print; next } { print $2 ": " $1 (length($3) ? " (" $3 ")" : "") }' "$f"
		rm -f "$f"
	done
}

# runner_summary: list what was skipped and what failed, then the closing line
# "N passed, N failed, N skipped". Fails when anything failed or nothing passed.
runner_summary() {
	local passed failed skipped
	passed=$(grep -c '^pass' "$RESULTS" || true)
	failed=$(grep -c '^fail' "$RESULTS" || true)
	skipped=$(grep -c '^skip' "$RESULTS" || true)
	echo
	if [ "$skipped" -gt 0 ]; then
		echo "skipped:"
		awk -F '\t' '$1 == "skip" { print "  " $2 " (" $3 ")" }' "$RESULTS"
	fi
	if [ "$failed" -gt 0 ]; then
		echo "FAILED:"
		awk -F '\t' '$1 == "fail" { print "  " $2 (length($3) ? ": " $3 : "") }' "$RESULTS"
	fi
	if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
		echo "run: no test passed: nothing ran"
		failed=1
	fi
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}
