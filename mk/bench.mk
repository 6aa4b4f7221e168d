# bench.mk — `make bench`: every chapter program against a numpy (or pure Python) reference of the same
# algorithm, chapters 2 and 3 against PyTorch too, a diverging run with and without subnormals, and the machine's limits (bench/run.py, bench/machine.c). It takes a few minutes, so the book never
# runs it: the performance appendix shows its last results ($(BENCH_OUT)) when there are some.
#
#   make bench                  5 repetitions, alternating C and reference; medians, ratios and limits
#   make bench BENCH_REPS=3     fewer repetitions
# Then it times the whole book (bench/book.sh): make book from clean, after a prose-only edit and after an edit
# of batched.c, three times (BENCH_BOOK_REPS), times the weaver on very long paragraphs (bench/weave_scale.sh)
# and checks the speed targets (bench/targets.py: targets.tsv).

BENCH_OUT  ?= $(B)/bench/out
BENCH_REPS ?= 5
# Debian's numpy, called by its full path: a python3 earlier on PATH (a pyenv, a venv) may not have it.
BENCH_PY   := /usr/bin/python3
BENCH_DEPS := $(B)/.bench-deps-ok

$(BENCH_DEPS): tools/setup.sh | $(DEPS)
	@mkdir -p $(@D)
	@tools/setup.sh python3-numpy python3-torch
	@touch $@

# The whole book, as a reader rebuilds it: make -j2 book from clean in a copy of the repository, then after a
# prose-only edit (bench/book.sh).
BENCH_BOOK_JOBS ?= auto
BENCH_BOOK_REPS ?= 3

# The machine's limits: one SGEMM on a large square product, and bandwidth at the size of W.
$(B)/bench/machine: bench/machine.c $(LIB_OBJ) $(LIB_HDR) | $(DEPS)
	$(call link,$(CFLAGS),$< $(LIB_OBJ))

BENCH_BINS := $(B)/bench/machine $(B)/01-scalar/scalar $(B)/02-vector/vector $(B)/03-batched/batched

bench: $(BENCH_DEPS) $(BENCH_BINS) $(WEAVE) $(MNIST)/.verified ## time each chapter program against numpy and PyTorch; check the speed targets
	$(BENCH_PY) bench/run.py --build $(B) --mnist $(MNIST) --reps $(BENCH_REPS) --out $(BENCH_OUT)
	bench/book.sh $(DATA) $(BENCH_OUT)/book.txt $(BENCH_BOOK_JOBS) $(BENCH_BOOK_REPS)
	bench/weave_scale.sh $(WEAVE) $(BENCH_OUT)/weave.txt
	$(BENCH_PY) bench/targets.py $(BENCH_OUT)

.PHONY: bench
