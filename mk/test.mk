# test.mk — `make test`: every prerequisite of the tests in one place, then prove over every test.
#
#   tests/test_*.c    C tests (TAP, tests/tap.h), built with AddressSanitizer and UBSan in $(B)/tests/
#   tests/*.sh        end-to-end tests: a QUICK book, the broken-input table, interrupts, two builds
#                     at once, the browser
#
# A test of a chapter program #includes it (its main hides behind #ifndef TESTING, as in llm.c's test);
# a test of a tool includes the tool's headers and is linked with the tool's sources (TOOL_LINKED_name).

SAN       = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TCFLAGS   = -O1 -g $(SAN) -Itests -DTESTING
TESTS_SRC := $(wildcard tests/test_*.c)
TESTS     := $(TESTS_SRC:tests/%.c=$(B)/tests/%)

# The sources of a tool that its tests and fuzzers link (they include its headers, never its .c files).
TOOL_LINKED_weave = $(call tool_src,weave)
TOOL_LINKED_plot  = $(call tool_src,plot)
# The tool a test or fuzzer is about: test_weave, test_fuzz_weave and fuzz_weave are all the weaver's.
tool_of = $(patsubst test_%,%,$(patsubst test_fuzz_%,%,$(patsubst fuzz_%,%,$1)))
tool_linked = $(TOOL_LINKED_$(call tool_of,$1))

# make sees the first level of a test's #include "../..." (a chapter program, a harness); the rest is listed below.
test_includes = $(shell sed -n 's/^\#include "\.\.\/\(.*\)"/\1/p' tests/$1.c)
$(B)/tests/%: tests/%.c tests/tap.h $(LIB_SRC) $(LIB_HDR) $$(call tool_linked,$$*) $$(call test_includes,$$*) \
              | $(DEPS)
	$(call link,$(TCFLAGS),$< $(call tool_linked,$*) $(LIB_SRC))

# The replay tests include the harness, which includes fuzz.h and replay.h.
$(B)/tests/test_fuzz_lib $(B)/tests/test_fuzz_weave $(B)/tests/test_fuzz_plot: fuzz/fuzz.h fuzz/replay.h

# What the shell tests run: the tools, every chapter program, MNIST, Chromium for the browser tests, and curl and
# ss (iproute2) with which tests/test_serve.sh tries the preview server.
TEST_DEPS := $(B)/.deps-test-ok
$(TEST_DEPS): tools/setup.sh mk/test.mk
	@mkdir -p $(@D)
	@tools/setup.sh curl iproute2
	@touch $@
TEST_NEEDS := $(WEAVE) $(PLOT) $(SERVE) $(B)/01-scalar/scalar $(B)/02-vector/vector $(B)/03-batched/batched \
              $(B)/04-experiments/summarize $(MNIST)/.verified $(BROWSER_DEPS) $(TEST_DEPS)

# Under the tree's build lock (tools/build-lock.sh): a `make book` started meanwhile waits for the tests, which
# run the programs in build/, instead of rebuilding them under their feet.
test: ## build everything under sanitizers and run every test
	+@tools/build-lock.sh $(B) 'make test' $(MAKE) --no-print-directory run-tests

run-tests: $(TESTS) $(TEST_NEEDS)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	 B=$(B) MNIST=$(MNIST) WEAVE=$(WEAVE) PLOT=$(PLOT) prove -f $(TESTS) $(wildcard tests/*.sh)

.PHONY: test run-tests
