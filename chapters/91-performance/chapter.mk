# Appendix B: performance. The book never runs the benchmark itself (it takes minutes): the appendix shows what
# `make bench` last measured on this machine ($(BENCH_OUT)), or, before the first `make bench`, the measurement
# committed with the book (bench/reference/), and says which in origin.txt.
BENCH_OUT ?= $(B)/bench/out
# (A make bench stopped before it timed the whole book and checked the targets leaves no targets.tsv: the
# reference is shown then.)
PERF_SRC   = $(if $(and $(wildcard $(BENCH_OUT)/results.txt),$(wildcard $(BENCH_OUT)/targets.tsv)),$(BENCH_OUT),bench/reference)
PERF_HERE := the last make bench on the machine that built this book
PERF_REF  := the reference measurement committed with the book (bench/reference/), made on the project's own \
             machine: make bench has not been run here yet. Run it (a few minutes), then make book, to see this \
             machine's numbers instead
PERF_FROM  = $(if $(filter bench/reference,$(PERF_SRC)),$(PERF_REF),$(PERF_HERE))

$(B)/91-performance/out/done: $(PERF_SRC)/results.txt $(PERF_SRC)/bench.tsv $(PERF_SRC)/book.txt \
                              $(PERF_SRC)/weave.txt $(PERF_SRC)/targets.tsv \
                              chapters/91-performance/chapter.mk
	$(call run_into,91-performance,\
	  cp $(PERF_SRC)/results.txt $(PERF_SRC)/bench.tsv $(PERF_SRC)/raw.tsv $(PERF_SRC)/book.txt \
	     $(PERF_SRC)/weave.txt $(PERF_SRC)/targets.tsv $$OUT/; \
	  echo "text $(PERF_FROM)" > $$OUT/origin.txt)
