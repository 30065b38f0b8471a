# Guild build. `make` builds build/guild; `make test` builds the sanitizer variants and runs
# every suite (unit, end-to-end, browser). See README.md.
CC ?= cc
PKGS := libmicrohttpd sqlite3 libsodium md4c jansson libcurl libxml-2.0 zlib uchardet libpq
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm -lpthread

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
        -Wvla -Wcast-qual -Wpointer-arith -Wnull-dereference -Wimplicit-fallthrough -fno-common
STD := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
RELEASE := -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
SAN := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
TSAN := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
CFLAGS_ALL = $(STD) $(WARN) $(PKG_CFLAGS) -MMD -MP

SRC := $(filter-out %_test.c,$(wildcard src/*/*.c)) build/gen/migrations.c build/gen/pg_migrations.c \
       build/gen/static.c
MAIN := src/cli/main.c
LIB_SRC := $(filter-out $(MAIN) src/cli/%,$(SRC))
CLI_SRC := $(filter src/cli/%,$(SRC))
TESTS := $(wildcard src/*/*_test.c)

OBJ_REL := $(patsubst %.c,build/obj/%.o,$(SRC))
OBJ_SAN := $(patsubst %.c,build/san/obj/%.o,$(SRC))
OBJ_TSAN := $(patsubst %.c,build/tsan/obj/%.o,$(SRC))
LIBOBJ_SAN := $(patsubst %.c,build/san/obj/%.o,$(LIB_SRC))

.PHONY: all test check check-pg unit e2e browser clean run bench fuzz
all: build/guild build/ranksim build/suggestsim build/ideasim

# the pure ranking library and what it needs from core, for benchmarks
RANK_SRC := $(filter-out %_test.c,$(wildcard src/rank/*.c)) src/core/util.c src/core/buf.c \
            src/core/json.c src/core/esc.c src/core/err.c
BENCH_RANKSIM := $(wildcard bench/ranksim/*.c)
build/ranksim: $(patsubst %.c,build/obj/%.o,$(BENCH_RANKSIM) $(RANK_SRC))
	$(CC) $(RELEASE) -pie $^ -o $@ $(PKG_LIBS)

# the idea portal benchmark (docs/ideas.md): its own files, ranksim's graph loader and random
# draws (graph.c; not ranksim.c, which has a main) and the pure ranking library
BENCH_IDEASIM := $(wildcard bench/ideasim/*.c) bench/ranksim/graph.c
build/ideasim: $(patsubst %.c,build/obj/%.o,$(BENCH_IDEASIM) $(RANK_SRC))
	$(CC) $(RELEASE) -pie $^ -o $@ $(PKG_LIBS)

# who-to-follow on real graphs: the pure social library and the baselines (docs/influence.md)
SOCIAL_SRC := $(filter-out %_test.c,$(wildcard src/social/*.c)) src/core/util.c
build/suggestsim: $(patsubst %.c,build/obj/%.o,$(wildcard bench/suggestsim/*.c) $(SOCIAL_SRC))
	$(CC) $(RELEASE) -pie $^ -o $@ $(PKG_LIBS)

# the pure feed parser and what it needs from core, for bench/feeds
FEED_SRC := $(filter-out %_test.c,$(wildcard src/feed/*.c)) src/core/util.c src/core/buf.c \
            src/core/json.c src/core/esc.c src/core/err.c src/core/arena.c src/core/log.c
build/feedbench: $(patsubst %.c,build/obj/%.o,bench/feeds/parse.c $(FEED_SRC))
	$(CC) $(RELEASE) -pie $^ -o $@ $(PKG_LIBS)

# bench/search: the store's search over generated entries (links the whole library)
build/searchbench: $(patsubst %.c,build/obj/%.o,bench/search/search.c $(LIB_SRC))
	$(CC) $(RELEASE) -pie $^ -o $@ $(PKG_LIBS)

build/gen/migrations.c: $(sort $(wildcard src/store/migrations/*.sql)) scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $@ store_migrations $(sort $(wildcard src/store/migrations/*.sql))

build/gen/pg_migrations.c: $(sort $(wildcard src/store/migrations/pg/*.sql)) scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $@ store_pg_migrations $(sort $(wildcard src/store/migrations/pg/*.sql))

build/gen/static.c: $(sort $(wildcard src/web/static/*)) scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $@ web_static_files $(sort $(wildcard src/web/static/*))

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(RELEASE) -c $< -o $@

build/san/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(SAN) -c $< -o $@

build/tsan/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(TSAN) -c $< -o $@

build/guild: $(OBJ_REL)
	$(CC) $(RELEASE) -pie -Wl,-z,relro,-z,now $^ -o $@ $(PKG_LIBS)

build/san/guild: $(OBJ_SAN)
	$(CC) $(SAN) $^ -o $@ $(PKG_LIBS)

# ThreadSanitizer: the e2e suite runs on it with votes, opens and comments during recomputes
build/tsan/guild: $(OBJ_TSAN)
	$(CC) $(TSAN) $^ -o $@ $(PKG_LIBS)

# unit tests: each src/<m>/<file>_test.c links the sanitizer-built library and cmocka
build/san/test/%: src/%_test.c $(LIBOBJ_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(SAN) -Wno-missing-prototypes $< $(LIBOBJ_SAN) -o $@ $(PKG_LIBS) -lcmocka

UNIT_BINS := $(patsubst src/%_test.c,build/san/test/%,$(TESTS))

# libFuzzer targets (Debian's clang): the library built with the fuzzer's instrumentation
FUZZ_CC := clang
FUZZ_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LIBOBJ := $(patsubst %.c,build/fuzz/obj/%.o,$(LIB_SRC))
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(STD) $(WARN) -Wno-unknown-warning-option $(PKG_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIBOBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(STD) $(PKG_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer $^ -o $@ $(PKG_LIBS)
FUZZ_SECONDS ?= 60
fuzz: $(FUZZ_TARGETS)
	sh tests/fuzz/run.sh $(FUZZ_SECONDS)

unit: $(UNIT_BINS)
	sh tests/run-unit.sh $(UNIT_BINS)

e2e: build/guild build/san/guild build/tsan/guild
	python3 tests/e2e/run.py --guild build/guild --jobs 3
	python3 tests/e2e/run.py --guild build/san/guild --quick
	python3 tests/e2e/run.py --guild build/tsan/guild --quick

# the developers' quick loop: unit tests and the end-to-end suite on the release build
check: build/guild $(UNIT_BINS)
	sh tests/run-unit.sh $(UNIT_BINS)
	python3 tests/e2e/run.py --guild build/guild --jobs 3

# the same on PostgreSQL: the store's unit tests and the end-to-end suite, each beside a
# throw-away cluster (needs scripts/install-deps.sh --test)
check-pg: build/guild build/san/test/store/store
	python3 tests/pg-run.py sh tests/run-unit.sh build/san/test/store/store
	python3 tests/e2e/run.py --guild build/guild --engine postgresql --jobs 3

browser: build/guild
	node tests/browser/flow.mjs build/guild

test: build/guild build/san/guild build/tsan/guild build/ranksim build/suggestsim build/ideasim build/feedbench build/searchbench $(UNIT_BINS) $(FUZZ_TARGETS)
	sh tests/run-all.sh $(UNIT_BINS)

run: build/guild
	sh scripts/run.sh

# benchmarks (under 10 minutes): the ranking simulation on the real graph, the 1M-member
# scale run, Guild beside nginx over HTTP, feed parsing and fetching, search over 1M entries
# (the soak runs on its own: bash bench/soak/soak.sh 600 60)
bench: build/ranksim build/suggestsim build/ideasim build/guild build/feedbench build/searchbench
	build/ranksim --graph tests/data/graphs/soc-Epinions1.txt.gz
	build/suggestsim --graph tests/data/graphs/wiki-Vote.txt.gz --spam 20
	build/suggestsim --graph tests/data/graphs/soc-Epinions1.txt.gz --users 300 --spam 20
	build/ideasim
	build/ranksim --scale
	bench/http
	bench/feeds/run 3
	build/searchbench --db build/bench-search.db --entries 1000000

clean:
	rm -rf build

-include $(OBJ_REL:.o=.d) $(OBJ_SAN:.o=.d) $(OBJ_TSAN:.o=.d) $(patsubst %.c,build/obj/%.d,$(BENCH_RANKSIM) $(BENCH_IDEASIM))

# keep generated objects between runs (fuzz objects are otherwise intermediates)
.SECONDARY:
