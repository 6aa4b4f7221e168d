// test_fuzz_lib.c — replays the committed inputs of the IDX, TSV/results and flag fuzzers (fuzz/corpus/{idx,tsv,
// flags}) through their harnesses under ASan and UBSan: every seed, and every finding kept as a regression input.
#include "../fuzz/replay.h"

#define LLVMFuzzerTestOneInput fuzz_idx_one
#include "../fuzz/fuzz_idx.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_tsv_one
#include "../fuzz/fuzz_tsv.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_flags_one
#include "../fuzz/fuzz_flags.c"
#undef LLVMFuzzerTestOneInput

int main(void) {
    replay_dir("fuzz/corpus/idx", fuzz_idx_one);
    replay_dir("fuzz/corpus/tsv", fuzz_tsv_one);
    replay_dir("fuzz/corpus/flags", fuzz_flags_one);
    return tap_done();
}
