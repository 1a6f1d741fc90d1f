#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The runner's own test (TAP): plant failures and see `./run test`'s pieces
# (tests/runner.sh) end non-zero with the reason on the last lines, and count
# what ran. Planted, each in a temporary directory:
#   1. Meson tests: one passes, one fails, one skips (tap-main's test_skip),
#      one Check suite whose assertion fails;
#   2. a Meson run that exits non-zero without a failed test (a test binary
#      that does not compile), and one with no test at all;
#   3. fuzz targets: planted UB, a leak, a clean one, one without a corpus;
#   4. a missing test dependency (tmux not in PATH) in the project's own build.
# usage: tests/runner-test.sh  (needs meson, ninja, cc, clang, check)
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/milvusadm-runner.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/runner.sh"

n=0 bad=0
check() {	# check DESCRIPTION CMD...
	local d=$1
	shift
	n=$((n + 1))
	if "$@" >"$tmp/check.out" 2>&1; then
		echo "ok $n - $d"
	else
		sed 's/^/# /' "$tmp/check.out"
		echo "not ok $n - $d"
		bad=$((bad + 1))
	fi
}
last() { tail -n "$1" "$2"; }
has() { grep -q -e "$1" "$2" || { echo "no '$1' in $2:"; cat "$2"; return 1; }; }
# summarise RESULTS OUT: run runner_summary into OUT and keep its exit status.
summarise() { RESULTS=$1; runner_summary >"$2" 2>&1; echo $? >"$2.rc"; }
rc_of() { cat "$1.rc"; }

# --- 1. pass, fail, skip, a failing Check assertion --------------------------
p=$tmp/p1
mkdir -p "$p"
cat >"$p/meson.build" <<EOF
project('planted', 'c')
check = dependency('check')
test('good', find_program('good.sh'), protocol : 'tap', suite : 'unit')
test('bad', find_program('bad.sh'), protocol : 'tap', suite : 'unit')
test('skipped', executable('skipped', ['skipped.c', '$src/tests/unit/tap-main.c'],
  dependencies : check), protocol : 'tap', suite : 'unit')
test('assert', executable('assert', ['assert.c', '$src/tests/unit/tap-main.c'],
  dependencies : check), protocol : 'tap', suite : 'unit')
EOF
printf '#!/bin/sh\necho "ok 1 - fine"\necho 1..1\n' >"$p/good.sh"
printf '#!/bin/sh\necho "not ok 1 - planted"\necho 1..1\nexit 1\n' >"$p/bad.sh"
chmod +x "$p/good.sh" "$p/bad.sh"
cat >"$p/skipped.c" <<'EOF'
#include <check.h>
const char *test_skip(void) { return "no widget here"; }
START_TEST(never) { ck_abort_msg("a skipped suite ran a test"); } END_TEST
Suite *test_suite(void) { Suite *s = suite_create("s"); TCase *t = tcase_create("t");
	tcase_add_test(t, never); suite_add_tcase(s, t); return s; }
EOF
cat >"$p/assert.c" <<'EOF'
#include <check.h>
START_TEST(one) { ck_assert_int_eq(1 + 1, 3); } END_TEST
START_TEST(two) { ck_assert_int_eq(2, 2); } END_TEST
Suite *test_suite(void) { Suite *s = suite_create("s"); TCase *t = tcase_create("t");
	tcase_add_test(t, one); tcase_add_test(t, two); suite_add_tcase(s, t); return s; }
EOF
RESULTS=$tmp/r1
: >"$RESULTS"
(cd "$p" && runner_build "$p/b") >"$tmp/b1.out" 2>&1
runner_meson "$p/b" planted >"$tmp/m1.out" 2>&1
summarise "$tmp/r1" "$tmp/s1"
check "a failing test makes the summary fail" test "$(rc_of "$tmp/s1")" != 0
check "closing line counts what ran: 1 passed, 2 failed, 1 skipped" \
	test "$(last 1 "$tmp/s1")" = "1 passed, 2 failed, 1 skipped"
check "the failed tests are named above the closing line" \
	eval 'last 4 "$tmp/s1" | grep -Eq "planted: (unit/)?bad: " &&
	      last 4 "$tmp/s1" | grep -Eq "planted: (unit/)?assert: "'
check "the skipped test is listed by name with its reason" \
	eval 'grep -A1 "^skipped:" "$tmp/s1" | grep -Eq "planted: (unit/)?skipped \(no widget here\)"'

# --- 2. meson exits non-zero with no failed test; nothing ran ---------------
p=$tmp/p2
mkdir -p "$p"
cat >"$p/meson.build" <<'EOF'
project('broken', 'c')
test('neverbuilt', executable('neverbuilt', 'broken.c'), suite : 'unit')
EOF
echo 'int main(void) { return 0 }' >"$p/broken.c"
(cd "$p" && meson setup "$p/b" >/dev/null 2>&1)
RESULTS=$tmp/r2
: >"$RESULTS"
runner_meson "$p/b" broken >"$tmp/m2.out" 2>&1
summarise "$tmp/r2" "$tmp/s2"
check "a meson run that fails to build its tests fails (no Fail: line)" \
	eval 'test "$(rc_of "$tmp/s2")" != 0 && ! grep -q "^Fail:" "$tmp/m2.out"'
check "... and says so on the last lines" \
	eval 'last 3 "$tmp/s2" | grep -q "broken: meson test: no" &&
	      test "$(last 1 "$tmp/s2")" = "0 passed, 1 failed, 0 skipped"'
RESULTS=$tmp/r3
: >"$RESULTS"
runner_meson "$tmp/p1/b" planted --suite nosuchsuite >"$tmp/m3.out" 2>&1
summarise "$tmp/r3" "$tmp/s3"
check "a meson run in which no test ran is a failure, not 0 passed" \
	eval 'test "$(rc_of "$tmp/s3")" != 0 && last 2 "$tmp/s3" | grep -q "planted: meson test: no"'
RESULTS=$tmp/r4
: >"$RESULTS"
summarise "$tmp/r4" "$tmp/s4"
check "an empty run is a failure" \
	eval 'test "$(rc_of "$tmp/s4")" != 0 && last 2 "$tmp/s4" | grep -q "nothing ran"'

# --- 3. fuzz targets: planted UB and leak, a clean one, a missing corpus ----
f=$tmp/fuzz
mkdir -p "$f/bin" "$f/corpus/ub" "$f/corpus/leak" "$f/corpus/clean" "$f/corpus/orphan"
cat >"$f/ub.c" <<'EOF'
#include <limits.h>
#include <stdint.h>
#include <string.h>
volatile int sink;
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	if (n >= 3 && memcmp(d, "UB!", 3) == 0) {
		int x = INT_MAX - 1;
		x += (int)n;	/* planted: signed overflow */
		sink = x;
	}
	return 0;
}
EOF
cat >"$f/leak.c" <<'EOF'
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
void *volatile sink;
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	if (n >= 4 && memcmp(d, "LEAK", 4) == 0) {
		sink = malloc(64);	/* planted: never freed */
		sink = 0;
	}
	return 0;
}
EOF
cat >"$f/clean.c" <<'EOF'
#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return (int)(n & 0); }
EOF
printf 'UB!!' >"$f/corpus/ub/seed"
printf 'LEAK' >"$f/corpus/leak/seed"
printf 'hello' >"$f/corpus/clean/seed"
printf 'x' >"$f/corpus/orphan/seed"
for t in ub leak clean nocorpus; do
	c=$t
	[ "$t" = nocorpus ] && c=clean
	clang -g -O1 -fsanitize=fuzzer,address,undefined "$f/$c.c" -o "$f/bin/fuzz-$t" \
		>>"$tmp/clang.out" 2>&1
done
RESULTS=$tmp/r5
: >"$RESULTS"
FUZZ_SECONDS=3 runner_fuzz "$f/bin" "$f/corpus" "$f/art" >"$tmp/f5.out" 2>&1
cat "$tmp/f5.out" >>"$tmp/s5.log"
summarise "$tmp/r5" "$tmp/s5"
check "fuzz targets built (clang, libFuzzer, ASan, UBSan)" \
	test -x "$f/bin/fuzz-ub" -a -x "$f/bin/fuzz-leak" -a -x "$f/bin/fuzz-clean"
check "planted UB fails the fuzz step (UBSan halts)" \
	eval 'test "$(rc_of "$tmp/s5")" != 0 && grep -q "^fail	fuzz: fuzz-ub	reproducer $f/art/fuzz-ub-" "$RESULTS"'
check "... the reproducer exists and the report's first lines are in the log" \
	eval 'ls "$f/art"/fuzz-ub-* >/dev/null && grep -q "runtime error: signed integer overflow" "$tmp/f5.out"'
check "a planted leak fails the fuzz step (LeakSanitizer)" \
	eval 'grep -q "^fail	fuzz: fuzz-leak	reproducer $f/art/fuzz-leak-" "$RESULTS" &&
	      grep -q "LeakSanitizer" "$tmp/f5.out"'
check "a target without a seed corpus fails" \
	grep -q "^fail	fuzz: fuzz-nocorpus	no seed corpus" "$RESULTS"
check "a seed corpus without a target fails" \
	grep -q "^fail	fuzz: fuzz-orphan	a seed corpus without a target" "$RESULTS"
check "fuzz: 1 passed, 4 failed, 0 skipped, failures named on the last lines" \
	eval 'test "$(last 1 "$tmp/s5")" = "1 passed, 4 failed, 0 skipped" &&
	      last 6 "$tmp/s5" | grep -q "fuzz: fuzz-ub: reproducer"'

# --- 4. a missing test dependency stops the project's own build -------------
# PATH with everything but tmux: meson's find_program cannot see it.
mkdir -p "$tmp/path"
for d in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
	for x in "$d"/*; do
		b=${x##*/}
		[ "$b" = tmux ] || [ -e "$tmp/path/$b" ] || ln -s "$x" "$tmp/path/$b"
	done
done
RESULTS=$tmp/r6
: >"$RESULTS"
(cd "$src" && PATH=$tmp/path runner_build "$tmp/b6") >"$tmp/b6.out" 2>&1
summarise "$tmp/r6" "$tmp/s6"
check "without tmux the build stops, naming it on the last lines" \
	eval 'test "$(rc_of "$tmp/s6")" != 0 && last 3 "$tmp/s6" | grep -q "tmux"'
RESULTS=$tmp/r7
: >"$RESULTS"
(cd "$src" && PATH=$tmp/path meson setup "$tmp/b7" -Dtests=false) >"$tmp/b7.out" 2>&1
check "... while -Dtests=false configures without it (only tests need it)" \
	eval 'grep -q "Build targets in project" "$tmp/b7.out" || { cat "$tmp/b7.out"; false; }'

echo "1..$n"
[ "$bad" -eq 0 ]
