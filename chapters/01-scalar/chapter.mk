# Chapter 1: the scalar network on the synthetic two-class set: train, the worked example, the data set for
# the scatter plots, and the gradient check. The full run takes well under a second; QUICK=1 (the end-to-end
# test) trains on fewer points for fewer epochs.
SCALAR_FLAGS := $(if $(QUICK),--epochs 3 --n-train 10000 --n-val 2000 --lr 0.1,--epochs 10 --lr 0.01) --seed 0

$(B)/01-scalar/out/done: $(B)/01-scalar/scalar chapters/01-scalar/chapter.mk
	$(call run_into,01-scalar,\
	  $< $(SCALAR_FLAGS) --out $$OUT; \
	  $< --example > $$OUT/example.txt; \
	  $< --dump-data $(SCALAR_FLAGS) --out $$OUT; \
	  $(call gradcheck,$< --gradcheck --out $$OUT))
