# Appendix C, the colophon: what built this copy of the book, measured by colophon.sh after every other chapter
# has run (so it reruns whenever one of them does, and never on a prose edit).
COLOPHON_AFTER := $(foreach ch,$(filter-out 00-% 92-colophon,$(CHAPTERS)),$(B)/$(ch)/out/done)

$(B)/92-colophon/out/done: $(COLOPHON_AFTER) $(B)/toc.tsv $(MNIST)/.verified chapters/92-colophon/colophon.sh \
                           chapters/92-colophon/chapter.mk tools/mnist.sha256
	@echo "== recording 92-colophon"
	@rm -rf $(@D).tmp && mkdir -p $(@D).tmp
	@chapters/92-colophon/colophon.sh $(B) $(B)/toc.tsv $(MNIST) "$(CC)" "$(CFLAGS) $(BASE_CFLAGS)" "$(QUICK)" $(@D).tmp
	@touch $(@D).tmp/done && rm -rf $(@D) && mv $(@D).tmp $(@D)
