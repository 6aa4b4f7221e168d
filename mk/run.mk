# run.mk — the macros a chapter's chapter.mk runs its program with (docs/AUTHORING.md, "Running a chapter").
#
# A chapter.mk writes the rule for $(B)/NN-name/out/done: the folder the weaver and the plotter read. Both macros
# run into a fresh folder and move it into place only when every command succeeded, so an interrupted or failed
# run never leaves half a result; both write how long the commands took into time.txt ("seconds 3.14", for the
# colophon) and say on the screen what runs and when it is done.
#
#   run_into  several commands into one folder, the chapter's out/:
#               $(B)/NN-name/out/done: $(B)/NN-name/prog chapters/NN-name/chapter.mk
#               	$(call run_into,NN-name,$< --epochs 3 --out $$OUT; $< --gradcheck --out $$OUT)
#   run_one   one program run into its own folder, so that `make -j` runs a chapter's runs side by side:
#               $(B)/NN-name/runs/%/done: $(B)/NN-name/prog
#               	$(call run_one,NN-name: $*,$< --lr 0.1 --out $(@D).tmp,diverged-ok)
#             the command's messages go into log (shown when it fails); a third argument, non-empty, accepts
#             exit status 3, a diverged run, whose results say so and which the chapter shows as such.

# A gradient check inside either: $(call gradcheck,PROG --gradcheck --out DIR). Its exit status 4 (a group
# failed, gradcheck.tsv says which) is what the book shows the reader, so it does not stop the build; the book's
# last lines name it (tools/book-report.sh), and STRICT=1 makes it an error there.
gradcheck = { $1 || [ $$? -eq 4 ]; }

# Use, in the recipe of $(B)/NN-name/out/done: $(call run_into,NN-name,commands using $$OUT)
define run_into
	@echo "== running $1 (because of: $(notdir $?))"
	@rm -rf $(@D).tmp && mkdir -p $(@D).tmp
	@OUT=$(@D).tmp; t0=$$EPOCHREALTIME; set -ex; $2; { set +x; } 2>/dev/null; $(run_time)
$(call run_commit,$1)
endef

# Use, in the recipe of $(B)/NN-name/.../done: $(call run_one,name on screen,command,diverged-ok)
define run_one
	@echo "== running $1"
	@rm -rf $(@D).tmp && mkdir -p $(@D).tmp
	@t0=$$EPOCHREALTIME; \
	 { $2 2>$(@D).tmp/log || { s=$$?; cat $(@D).tmp/log >&2; [ -n "$3" ] && [ $$s -eq 3 ]; }; } && $(run_time)
$(call run_commit,$1)
endef

# The end of both: the seconds since $$t0 into time.txt, then the finished folder moved into place and named.
run_time = awk -v a=$$t0 -v b=$$EPOCHREALTIME 'BEGIN { printf "seconds %.2f\n", b - a }' > $(@D).tmp/time.txt
define run_commit
	@touch $(@D).tmp/done && rm -rf $(@D) && mv $(@D).tmp $(@D)
	@echo "== $1 done in $$(cut -d' ' -f2 $(@D)/time.txt) s"
endef
