# Appendix D, "Your results": this tree's chapter programs graded item by item (grade/grade.sh, mk/teach.mk),
# as a teacher grades a student's. Each program is graded as a run of its own, rerun when that program (its
# compiled bytes), the grader or the harnesses change; out/ joins the three. A failed item is what the page
# shows (grade.sh's exit status 1); only a grader that cannot run stops the build.
GRADE_PROGRAMS := 01-scalar/scalar 02-vector/vector 03-batched/batched
GRADE_FILES := grade/grade.sh grade/sandbox.sh grade/item.h $(wildcard grade/items_*.c) $(GRADE_DEPS) \
               chapters/93-results/chapter.mk
define grade_rule
$(B)/93-results/runs/$(notdir $1)/done: $(call program,$1) $(MNIST)/.verified $(GRADE_FILES)
	$$(call run_into,93-results: $(notdir $1),\
	  $(GRADE_ENV) grade/grade.sh . $$$$OUT/grade $(notdir $1) > $$$$OUT/grade.log || [ $$$$? -eq 1 ]; \
	  rm -rf $$$$OUT/grade/work)
endef
$(foreach p,$(GRADE_PROGRAMS),$(eval $(call grade_rule,$p)))

GRADE_RUNS := $(foreach p,$(GRADE_PROGRAMS),$(B)/93-results/runs/$(notdir $p)/done)
$(B)/93-results/out/done: $(GRADE_RUNS) $(GRADE_FILES)
	$(call run_into,93-results,\
	  grade/grade.sh --combine $$OUT/grade $(foreach r,$(GRADE_RUNS),$(dir $r)grade) > $$OUT/grade.log || [ $$? -eq 1 ]; \
	  cp $$OUT/grade/results.txt $$OUT/results.txt)
