// test_fuzz_plot.c — replays the plotter fuzzer's committed inputs (fuzz/corpus/plot) through its harness under
// ASan and UBSan: every seed and every finding kept as a regression input.
#include "../fuzz/replay.h"
#include "../fuzz/fuzz_plot.c"

int main(void) {
    replay_dir("fuzz/corpus/plot", LLVMFuzzerTestOneInput);
    return tap_done();
}
