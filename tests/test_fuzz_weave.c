// test_fuzz_weave.c — replays the weaver fuzzer's committed inputs (fuzz/corpus/weave) through its harness under
// ASan and UBSan: every seed (the spec's examples among them) and every finding kept as a regression input.
#include "../fuzz/replay.h"
#include "../fuzz/fuzz_weave.c"

int main(void) {
    replay_dir("fuzz/corpus/weave", LLVMFuzzerTestOneInput);
    return tap_done();
}
