# Chapter 1: the scalar network on the synthetic two-class set: train, the worked example, the data set for
# the scatter plots, and the gradient check. Then, for the section on the last epoch's rate, the same training
# twice more, evaluating the validation set often near its end (SCALAR_EVAL): at the constant rate (constant/),
# and with the last epoch at SCALAR_LAST_LR (last/). The book's run itself does not evaluate between its steps,
# since the evaluations slow the steps around them and the chapter quotes its speed. The book's run takes well
# under a second, the two with evaluations about as long again each; QUICK=1 (the end-to-end test) trains on
# fewer points for fewer epochs.
SCALAR_FLAGS := $(if $(QUICK),--epochs 3 --n-train 10000 --n-val 2000 --lr 0.1,--epochs 10 --lr 0.01) --seed 0
# The last epoch's rate in last/: a tenth of the --lr above.
SCALAR_LAST_LR := $(if $(QUICK),0.01,0.001)
# How those two runs look at their last epochs: the validation set evaluated after every N steps of the last two.
SCALAR_EVAL := --eval-every $(if $(QUICK),250,1000) --eval-last 2
SCALAR_CURVE = $(SCALAR) $(SCALAR_FLAGS) $(SCALAR_EVAL)

SCALAR := $(B)/01-scalar/scalar
$(B)/01-scalar/out/done: $(call program,01-scalar/scalar) $(call settings,01-scalar/out,$(SCALAR_FLAGS) / $(SCALAR_EVAL) / $(SCALAR_LAST_LR)) \
                         chapters/01-scalar/chapter.mk
	$(call run_into,01-scalar,\
	  $(SCALAR) $(SCALAR_FLAGS) --out $$OUT; \
	  $(SCALAR) --example > $$OUT/example.txt; \
	  $(SCALAR) --dump-data $(SCALAR_FLAGS) --out $$OUT; \
	  $(call gradcheck,$(SCALAR) --gradcheck --out $$OUT); \
	  $(SCALAR_CURVE) --out $$OUT/constant; \
	  $(SCALAR_CURVE) --last-lr $(SCALAR_LAST_LR) --out $$OUT/last)
