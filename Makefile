# The front door. `make demo` and `make test` do all the set-up a fresh
# Debian machine needs (see tools/deps.sh).

BUILD       ?= build
BUILD_ASAN  ?= build-asan
BUILD_BENCH ?= build-bench
BUILD_RELEASE ?= build-release
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

TEST_DEPS  = pkg-config libcriterion-dev zlib1g-dev chromium
BENCH_DEPS = pkg-config libuv1-dev libev-dev libevent-dev

.PHONY: all build build-clang build-release demo test test-asan bench clean deps-test deps-bench

all: build

build:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
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

# The tour, recorded (one trace file per loop), drawn as one timeline.
demo: deps-test build
	rm -f $(BUILD)/tour-trace.json*
	EVENTIDE_TRACE=$(BUILD)/tour-trace.json $(BUILD)/examples/tour
	$(BUILD)/eventide-timeline $(BUILD)/tour-trace.json* -o $(BUILD)/tour-timeline.html
	@echo "timeline of the tour: $(abspath $(BUILD))/tour-timeline.html (open it in a browser;"
	@echo "the trace files $(BUILD)/tour-trace.json* also open in https://ui.perfetto.dev)"

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

clean:
	rm -rf $(BUILD) $(BUILD)-clang $(BUILD_ASAN) $(BUILD_BENCH) $(BUILD_RELEASE)
