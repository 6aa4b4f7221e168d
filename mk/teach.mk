# teach.mk — the teaching edition: the student version of the chapter programs, and the grader
# (docs/AUTHORING.md, "The teaching edition").
#
#   make student     build/student/ and build/student.tar.gz: this tree with every solution region of the chapter
#                    programs replaced by its stub and a TODO (src/student.c)
#   make grade       grade this tree's chapter programs item by item (grade/grade.sh): a table, build/grade/
#                    report.tsv, and the book's page "Your results" (appendix 93-results); exit 1 on a failed item
#   make grade-all SUBMISSIONS=DIR
#                    grade every student tree or tarball in DIR, each in its own sandbox: build/grade-all/grades.tsv

STUDENT := $(B)/tools/student
# The Debian package the grader's sandbox comes from (grade/sandbox.sh).
GRADE_DEPS := $(B)/.deps-grade-ok
$(GRADE_DEPS): tools/setup.sh mk/teach.mk
	@mkdir -p $(@D)
	@tools/setup.sh bubblewrap
	@touch $@

# How the grader compiles a submission's programs: as the book does, with this tree's library.
GRADE_CC     = $(CC)
GRADE_CFLAGS = $(CFLAGS) $(subst -Isrc,-I$(CURDIR)/src,$(BASE_CFLAGS)) $(PKG_CFLAGS)
GRADE_LIBS   = $(abspath $(LIB_OBJ)) $(PKG_LIBS) $(LDLIBS)
GRADE_ENV    = GRADE_CC='$(GRADE_CC)' GRADE_CFLAGS='$(GRADE_CFLAGS)' GRADE_LIBS='$(GRADE_LIBS)' MNIST='$(MNIST)'
GRADE_NEEDS := grade/grade.sh grade/sandbox.sh grade/item.h $(wildcard grade/items_*.c) $(LIB_OBJ) $(MNIST)/.verified \
               $(GRADE_DEPS)

student: $(STUDENT) ## the student version: build/student/ and build/student.tar.gz (solutions out, stubs in)
	@tools/student-tree.sh $(STUDENT) $(B)/student

grade: ## grade this tree's chapter programs: a table, build/grade/report.tsv, and the page "Your results"
	+@tools/build-lock.sh $(B) 'make grade' $(MAKE) --no-print-directory chapter-93-results
	@rm -rf $(B)/grade && mkdir -p $(B)/grade && cp $(B)/93-results/out/grade/report.tsv $(B)/grade/report.tsv
	@awk -F'\t' '{ printf "%-18s %-6s %-6s %s\n", $$1, $$2, $$3, $$4 }' $(B)/grade/report.tsv
	@got=$$(awk '$$1 == "points" { print $$2 }' $(B)/93-results/out/results.txt); \
	 max=$$(awk '$$1 == "max_points" { print $$2 }' $(B)/93-results/out/results.txt); \
	 echo "grade: $$got of $$max points; $(B)/grade/report.tsv, and the page $(call page,93-results)"; \
	 [ "$$got" -eq "$$max" ]

grade-all: $(GRADE_NEEDS) ## grade every submission in SUBMISSIONS=DIR into build/grade-all/grades.tsv
	@[ -n "$(SUBMISSIONS)" ] || { echo "grade-all: say which folder: make grade-all SUBMISSIONS=DIR" >&2; exit 2; }
	@$(GRADE_ENV) grade/grade-all.sh '$(SUBMISSIONS)' $(B)/grade-all

.PHONY: student grade grade-all grade-env

# The grader's settings, for a test or a teacher running grade/grade.sh by hand: eval "$(make -s grade-env)".
grade-env: $(GRADE_NEEDS)
	@printf 'export %s\n' $(foreach v,GRADE_CC GRADE_CFLAGS GRADE_LIBS MNIST,"$v=$$(printf %q '$($v)')")
