# fuzz.mk — robustness: libFuzzer over every parser of outside input, and valgrind over every tool and program.
#
#   make fuzz                          each fuzzer in turn, FUZZ_TIME seconds each (default 60)
#   make fuzz FUZZERS=weave FUZZ_TIME=600
#   make leakcheck                     every tool and a short run of every chapter program under valgrind
#
# The harnesses are fuzz/fuzz_NAME.c (what each checks is at its top); their seed corpora, committed, are
# fuzz/corpus/NAME/. A run grows its own corpus in $(B)/fuzz/corpus/NAME (kept between runs) and writes what it
# finds to $(B)/fuzz/findings/NAME-crash-*: copy such a file into fuzz/corpus/NAME/ and it becomes a regression
# input, which `make test` replays under ASan and UBSan (tests/test_fuzz_*.c) with every other committed input.

# ----- fuzzing: clang's libFuzzer with ASan and UBSan ------------------------------------------------------

FUZZERS   ?= idx tsv flags weave plot
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
FUZZ_DEPS := $(B)/.fuzz-deps-ok
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
             -DTESTING
# Inputs longer than this teach a parser nothing its seeds and mutations do not (the weaver's seeds are < 4 KB).
FUZZ_MAXLEN = 8192

$(FUZZ_DEPS): tools/setup.sh
	@mkdir -p $(@D)
	@tools/setup.sh clang libclang-rt-14-dev
	@touch $@

# Each harness is one program: the harness, the library sources (instrumented too) and, for the weaver and
# the plotter, the tool's sources (mk/test.mk's TOOL_LINKED_name, or #included by the harness).
$(B)/fuzz/fuzz_%: CC = $(FUZZ_CC)
$(B)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(LIB_SRC) $(LIB_HDR) $$(call tool_src,$$*) | $(DEPS) $(FUZZ_DEPS)
	$(call link,$(FUZZ_FLAGS),$< $(call tool_linked,fuzz_$*) $(LIB_SRC))

fuzz-build: $(addprefix $(B)/fuzz/fuzz_,$(FUZZERS)) ## build the fuzzers (clang, libFuzzer)

# One fuzzer at a time (a fuzzer takes a core), each stopped after FUZZ_TIME seconds; a finding stops make.
# Each line of the summary: executions, corpus size, and the coverage libFuzzer reached.
fuzz: fuzz-build ## run each fuzzer for FUZZ_TIME seconds (default 60); FUZZERS=weave picks some
	@mkdir -p $(B)/fuzz/findings
	@for f in $(FUZZERS); do \
	  mkdir -p $(B)/fuzz/corpus/$$f; \
	  echo "== fuzzing $$f for $(FUZZ_TIME) s (log: $(B)/fuzz/$$f.log)"; \
	  dict=; [ -f fuzz/dict/$$f.dict ] && dict=-dict=fuzz/dict/$$f.dict; \
	  scratch=$$(mktemp -d /dev/shm/wb-fuzz-run.XXXXXX 2>/dev/null || mktemp -d); \
	  FUZZ_TMPDIR=$$scratch $(B)/fuzz/fuzz_$$f $(B)/fuzz/corpus/$$f fuzz/corpus/$$f $$dict -max_total_time=$(FUZZ_TIME) \
	    -max_len=$(FUZZ_MAXLEN) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=$(B)/fuzz/findings/$$f- > $(B)/fuzz/$$f.log 2>&1; status=$$?; rm -rf $$scratch; \
	  [ $$status -eq 0 ] || \
	    { tail -n 40 $(B)/fuzz/$$f.log; echo "fuzz: $$f found a problem: $$(ls -t $(B)/fuzz/findings/$$f-* | head -n 1)"; exit 1; }; \
	  echo "   $$f: $$(sed -n 's/^stat::number_of_executed_units: *//p' $(B)/fuzz/$$f.log) executions," \
	       "$$(ls $(B)/fuzz/corpus/$$f | wc -l) inputs in its corpus," \
	       "$$(grep -o 'cov: [0-9]*' $(B)/fuzz/$$f.log | tail -n 1)"; \
	done

# ----- leaks and memory errors: valgrind -----------------------------------------------------------------

# Built without sanitizers and without -march=native (valgrind does not know every new instruction).
LEAK      := $(B)/leak
LEAK_CFLAGS = -O1 -g
LEAK_BINS := $(LEAK)/tools/weave $(LEAK)/tools/plot $(LEAK)/tools/student $(LEAK)/01-scalar/scalar $(LEAK)/02-vector/vector \
             $(LEAK)/03-batched/batched $(LEAK)/04-experiments/summarize
LEAK_DEPS := $(B)/.leak-deps-ok

$(LEAK_DEPS): tools/setup.sh
	@mkdir -p $(@D)
	@tools/setup.sh valgrind
	@touch $@

$(LEAK)/tools/%: $$(call tool_src,$$*) $(LIB_SRC) $(LIB_HDR) | $(DEPS)
	$(call link,$(LEAK_CFLAGS),$(call tool_src,$*) $(LIB_SRC))

$(LEAK)/%: chapters/%.c $(LIB_SRC) $(LIB_HDR) | $(DEPS)
	$(call link,$(LEAK_CFLAGS),$< $(LIB_SRC))

leakcheck: $(LEAK_BINS) $(MNIST)/.verified | $(LEAK_DEPS) ## every tool and a short run of every program under valgrind
	@LEAK=$(LEAK) MNIST=$(MNIST) tools/leakcheck.sh

.PHONY: fuzz fuzz-build leakcheck
