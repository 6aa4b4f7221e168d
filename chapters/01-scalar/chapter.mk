# Chapter 1: the scalar network on the synthetic two-class set: train, the worked example, the data set for
# the scatter plots, and the gradient check. The full run takes well under a second; QUICK=1 (the end-to-end
# test) trains on fewer points for fewer epochs.
SCALAR_FLAGS := $(if $(QUICK),--epochs 3 --n-train 10000 --n-val 2000 --lr 0.1,--epochs 10 --lr 0.01) --seed 0

SCALAR := $(B)/01-scalar/scalar
$(B)/01-scalar/out/done: $(call program,01-scalar/scalar) $(call settings,01-scalar/out,$(SCALAR_FLAGS))
	$(call run_into,01-scalar,\
	  $(SCALAR) $(SCALAR_FLAGS) --out $$OUT; \
	  $(SCALAR) --example > $$OUT/example.txt; \
	  $(SCALAR) --dump-data $(SCALAR_FLAGS) --out $$OUT; \
	  $(call gradcheck,$(SCALAR) --gradcheck --out $$OUT))
