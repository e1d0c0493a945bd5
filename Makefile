# The front door. `make demo` and `make test` do all the set-up a fresh
# Debian machine needs (see tools/deps.sh).

BUILD       ?= build
BUILD_ASAN  ?= build-asan
BUILD_BENCH ?= build-bench
BUILD_RELEASE ?= build-release
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

DEMO_DEPS  = zlib1g-dev libhttp-parser-dev
TEST_DEPS  = pkg-config libcriterion-dev zlib1g-dev libhttp-parser-dev chromium
BENCH_DEPS = pkg-config libuv1-dev libev-dev libevent-dev wrk nginx-light

.PHONY: all build build-clang build-release check-shape check-docs demo docs test test-asan bench bench-http clean deps-demo deps-test deps-bench

all: build

build:
	cmake -S . -B $(BUILD) -DEVENTIDE_TESTS=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# The library and examples as users build them for production (Release,
# -O3): gcc's flow warnings differ with the optimization level, and
# warnings are errors there too.
build-release: deps-test
	cmake -S . -B $(BUILD_RELEASE) -DCMAKE_BUILD_TYPE=Release -DEVENTIDE_TESTS=OFF $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD_RELEASE) -j $(JOBS)

# The same build with clang: warnings are errors under both compilers.
build-clang: deps-test
	@command -v clang >/dev/null 2>&1 || sh tools/deps.sh clang
	CC=clang cmake -S . -B $(BUILD)-clang $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD)-clang -j $(JOBS)

# The library's shape: no layer refers to a higher one, the shared library
# exports only the public API, and a C++ program includes <eventide.h> and
# runs (g++ and clang++).
check-shape: build
	@sh tools/deps.sh g++ clang
	sh tools/check_layers.sh $(BUILD)
	sh tools/check_exports.sh $(BUILD)/libeventide.so
	sh tools/check_cxx.sh $(BUILD)

# The API reference: HTML pages generated from the public headers
# (tools/apiref/apiref.js, run by node), in $(BUILD)/docs/api.
docs:
	node tools/apiref/apiref.js --out $(BUILD)/docs/api

# Every public function of the headers has a comment (of its own or of its
# group), and the checker itself works (tests/apiref).
check-docs:
	node tools/apiref/apiref.js --check
	sh tests/apiref/test.sh

# The tour, recorded (one trace file per loop), drawn as one timeline.
# Builds only what it runs (the library, the tour, the timeline tool) and
# needs only what they need: no test framework, no browser.
demo: deps-demo
	cmake -S . -B $(BUILD) -DEVENTIDE_TESTS=OFF $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target tour eventide-timeline
	rm -f $(BUILD)/tour-trace.json*
	EVENTIDE_TRACE=$(BUILD)/tour-trace.json $(BUILD)/examples/tour
	$(BUILD)/eventide-timeline $(BUILD)/tour-trace.json* -o $(BUILD)/tour-timeline.html
	@echo "timeline of the tour: $(abspath $(BUILD))/tour-timeline.html (open it in a browser;"
	@echo "the trace files $(BUILD)/tour-trace.json* also open in https://ui.perfetto.dev)"

deps-demo:
	@sh tools/deps.sh $(DEMO_DEPS)

deps-test:
	@sh tools/deps.sh $(TEST_DEPS)

deps-bench:
	@sh tools/deps.sh $(BENCH_DEPS)

test: deps-test build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps-test
	cmake -S . -B $(BUILD_ASAN) -DEVENTIDE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

# The same under clang's sanitizers, which catch more undefined behaviour
# than gcc's (NULL + 0, for one).
.PHONY: test-asan-clang
test-asan-clang: deps-test
	@command -v clang >/dev/null 2>&1 || sh tools/deps.sh clang
	CC=clang cmake -S . -B $(BUILD_ASAN)-clang -DEVENTIDE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD_ASAN)-clang -j $(JOBS)
	cd $(BUILD_ASAN)-clang && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

bench: deps-bench
	cmake -S . -B $(BUILD_BENCH) -DEVENTIDE_BENCH=ON -DEVENTIDE_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD_BENCH) -j $(JOBS)
	sh bench/run.sh $(BUILD_BENCH)

# Only the http rows (servers loaded by wrk; BENCH_HTTP_SECONDS per run).
bench-http: deps-bench
	cmake -S . -B $(BUILD_BENCH) -DEVENTIDE_BENCH=ON -DEVENTIDE_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD_BENCH) -j $(JOBS)
	BENCH_ONLY=http_hello,http_file_100,http_file_1m sh bench/run.sh $(BUILD_BENCH)

# ---- fuzzing ----
# libFuzzer harnesses (fuzz/) built with clang, ASan and UBSan; `make fuzz`
# builds them and runs each for FUZZ_SECONDS from its seed corpus
# (fuzz/corpus/<name>/), failing on any crash, leak, sanitizer report or
# broken invariant; the input that did it lands in $(BUILD_FUZZ)/fuzz/artifacts/.
# A finding replays with: $(BUILD_FUZZ)/fuzz/fuzz_<name> <artifact>.
BUILD_FUZZ   ?= build-fuzz
FUZZ_SECONDS ?= 20

.PHONY: fuzz fuzz-build deps-fuzz

# libFuzzer comes with clang's runtime libraries (Debian: libclang-rt-N-dev,
# which clang only recommends): install it when a trial link fails.
deps-fuzz:
	@sh tools/deps.sh pkg-config zlib1g-dev libhttp-parser-dev cmake
	@command -v clang >/dev/null 2>&1 || sh tools/deps.sh clang
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n ? 0 : 0; }\n' \
	  | clang -x c -fsanitize=fuzzer,address,undefined - -o /dev/null 2>/dev/null || \
	  sh tools/deps.sh libclang-rt-$$(clang -dumpversion | cut -d. -f1)-dev

fuzz-build: deps-fuzz
	CC=clang cmake -S . -B $(BUILD_FUZZ) -DEVENTIDE_FUZZ=ON -DEVENTIDE_TESTS=OFF \
	  -DEVENTIDE_EXAMPLES=OFF -DEVENTIDE_TOOLS=OFF \
	  -DEVENTIDE_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD_FUZZ) -j $(JOBS)

fuzz: fuzz-build
	cd $(BUILD_FUZZ) && ctest --output-on-failure -j $(JOBS) -L fuzz

# ---- ThreadSanitizer ----
# The unit suites that touch threads (label tsan: pool, async handles,
# signals, fs with and without io_uring, dns, zlib, trace, coroutines)
# under TSan, built against the small runner in tests/tsan (Criterion's own
# cannot start under TSan). TSan needs the address-space layout it was
# built for: where the kernel randomizes mmap more than that (large
# vm.mmap_rnd_bits: "FATAL: ThreadSanitizer: unexpected memory mapping"),
# the suites run again with address randomization off (setarch -R).
BUILD_TSAN ?= build-tsan

.PHONY: test-tsan

test-tsan:
	@sh tools/deps.sh pkg-config zlib1g-dev libhttp-parser-dev cmake
	cmake -S . -B $(BUILD_TSAN) -DEVENTIDE_TSAN=ON -DEVENTIDE_EXAMPLES=OFF \
	  -DEVENTIDE_TOOLS=OFF $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD_TSAN) -j $(JOBS)
	cd $(BUILD_TSAN) && norand=""; \
	  if ! tests/unit/test_wakeup --filter none >/dev/null 2>&1; then \
	    echo "ThreadSanitizer cannot start here; running with setarch -R"; \
	    norand="setarch $$(uname -m) -R"; \
	  fi; \
	  TSAN_OPTIONS="second_deadlock_stack=1 $(TSAN_OPTIONS)" \
	  $$norand ctest --output-on-failure -j $(JOBS) -L tsan

clean:
	rm -rf $(BUILD) $(BUILD)-clang $(BUILD_ASAN) $(BUILD_BENCH) $(BUILD_RELEASE) \
	  $(BUILD_FUZZ) $(BUILD_TSAN) $(BUILD_ASAN)-clang
